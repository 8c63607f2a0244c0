package io.raregen.webe2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new user in headless Chromium against the whole local stack: signs up with the code the stack's mail server
 * received, sees the starter credits, creates and registers a key (bound to the account), publishes a record, and
 * sees the balance drop, the debit in the history and the credits chart; then signs out.
 */
class WebAccountEndToEndTest extends BrowserAgainstStackTest {

    private static final String PASSPHRASE = "account e2e passphrase";
    private static final String EMAIL = "newcomer@example.com";

    @Override
    protected String stackLogName() {
        return "web-e2e-account-stack.log";
    }

    @Test
    @Order(1)
    void signUp_withTheMailedCode_showsTheStarterCredits() throws Exception {
        browser.open(stack.webUrl());
        browser.click("#nav-account");
        // the browser takes x@y for an address; the service does not
        browser.type("#signin-email", "x@y");
        browser.click("#send-code");
        browser.until(Duration.ofSeconds(10), d -> browser.all("#signin-message").size() == 1
                && browser.el("#signin-message").getText().contains("not an email address"));
        browser.type("#signin-email", EMAIL);
        browser.click("#send-code");
        browser.waitFor("#signin-code");
        assertTrue(browser.el("#signin-message").getText().contains(EMAIL));

        String code = stack.mailedCode(EMAIL);
        String wrong = code.equals("000000") ? "111111" : "000000";
        browser.type("#signin-code", wrong);
        browser.click("#sign-in");
        browser.until(Duration.ofSeconds(10), d -> browser.el("#signin-message").getText().contains("wrong"));

        browser.type("#signin-code", code);
        browser.click("#sign-in");
        assertEquals("10", browser.waitFor("#credits-value").getText());
        assertEquals(EMAIL, browser.el("#account-email").getText());
        assertTrue(browser.el("#welcome").getText().contains("10 free credits"));
        assertEquals("Account", browser.el("#nav-account").getText());
        List<String> errors = browser.takeConsoleErrors();
        assertEquals(2, errors.size(), "only the two refused requests: " + errors);
        assertTrue(errors.get(0).contains("/v1/accounts/otp") && errors.get(0).contains("400"), errors.get(0));
        assertTrue(errors.get(1).contains("/v1/accounts/session") && errors.get(1).contains("401"), errors.get(1));
    }

    @Test
    @Order(2)
    void aKeyRegisteredWhileSignedIn_isTheAccounts_andAPublishTakesOneCredit() throws Exception {
        browser.route("#/keys");
        browser.type("#new-passphrase", PASSPHRASE);
        browser.type("#new-passphrase-again", PASSPHRASE);
        browser.click("#create-key");
        String pubkey = browser.waitFor("#identity-pubkey").getText();
        browser.type("#register-passphrase", PASSPHRASE);
        browser.click("#register");
        browser.until(Duration.ofSeconds(20), d -> browser.el("#register-message").getText().contains("belongs to your account " + EMAIL));

        Path record = tmp.resolve("account-record.json");
        Files.writeString(record, "{\"title\":\"Paid with a credit\"}");
        browser.route("#/publish");
        browser.upload("#record-files", List.of(record));
        browser.until(Duration.ofSeconds(10), d -> browser.all("#file-list li").size() == 1);
        browser.type("#publish-passphrase", PASSPHRASE);
        browser.click("#publish");
        browser.until(Duration.ofSeconds(60), d -> "1".equals(browser.el("#publish-progress").getAttribute("aria-valuenow")));
        assertEquals(1, browser.all("#publish-results li[data-job]").size(), browser.el("#publish-results").getText());
        assertEquals(1, stack.jobsOf(pubkey));

        browser.route("#/account");
        browser.until(Duration.ofSeconds(10), d -> "9".equals(browser.el("#credits-value").getText()));
        assertEquals("1", browser.el("#account-keys").getText());
        assertEquals(1, browser.all("#ledger tr[data-kind=publish]").size());
        assertEquals(1, browser.all("#ledger tr[data-kind=starter]").size());
        assertEquals(1, browser.all("#account-jobs tbody tr").size());
        String points = browser.el("#credits-chart").getAttribute("data-points");
        assertTrue(Integer.parseInt(points) >= 3, "the chart has the starter grant, the debit and now: " + points);
        browser.screenshot("account");
        browser.assertNoConsoleErrors("the account page");
    }

    @Test
    @Order(3)
    void aPaymentToTheDepositAddress_arrivesAsCredits_afterItsConfirmations() throws Exception {
        String address = browser.waitFor("#deposit-address").getText();
        assertTrue(address.matches("[mn][1-9A-HJ-NP-Za-km-z]{25,34}"), "a regtest P2PKH address: " + address);
        stack.pay(address, 30_000);
        browser.until(Duration.ofSeconds(60), d -> "309".equals(browser.el("#credits-value").getText()));
        browser.until(Duration.ofSeconds(10), d -> browser.all("#deposit-payments tr[data-credited=true]").size() == 1);
        assertEquals(1, browser.all("#ledger tr[data-kind=topup]").size());
        browser.scrollTo("#topup");
        browser.screenshot("account-topup");
        browser.assertNoConsoleErrors("the account page after a top-up");
    }

    @Test
    @Order(4)
    void signOut_revokesTheSession_andTheFormIsBack() throws Exception {
        browser.js("window.scrollTo(0, 0)");
        browser.click("#sign-out");
        browser.waitFor("#signin-email");
        assertEquals("Sign in", browser.el("#nav-account").getText());
        try (var c = stack.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM account_sessions WHERE revoked_at IS NULL")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "the browser's session was revoked, not only forgotten");
        }
    }
}
