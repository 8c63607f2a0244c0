package io.raregen.webe2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.raregen.core.backup.BackupShare;
import io.raregen.core.backup.KeyBackup;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;



import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;




/**
 * Key backup in the web app (docs/BACKUP.md) in headless Chromium against the whole local stack: a key made and
 * registered in the page is backed up (share 5 stored by the service, shares 1–4 shown with QR codes), removed
 * from the browser, recovered from two shown shares plus the stored one, and publishes again as the same
 * identity. A flipped character is refused with SHARE_CHECKSUM in place, and shares cross between the page and
 * core's KeyBackup (the code behind `raregen keys recover`) in both directions. No console errors.
 */
class WebKeyBackupEndToEndTest extends BrowserAgainstStackTest {

    private static final String PASSPHRASE = "lion of judah 2026";
    private static final String NEW_PASSPHRASE = "a new passphrase 2026";

    private String pubkey;
    private List<String> shares;

    @Override
    protected String stackLogName() {
        return "web-e2e-backup-stack.log";
    }

    @Test
    @Order(1)
    void keyMadeInThePage_isBackedUp_withQrCodes() throws Exception {
        browser.open(stack.webUrl() + "#/keys");
        browser.type("#new-passphrase", PASSPHRASE);
        browser.type("#new-passphrase-again", PASSPHRASE);
        browser.click("#create-key");
        pubkey = browser.waitFor("#identity-pubkey", Duration.ofSeconds(30)).getText();
        browser.type("#register-passphrase", PASSPHRASE);
        browser.click("#register");
        browser.until(Duration.ofSeconds(30), d -> browser.el("#register-message").getText().contains("Registered"));

        browser.type("#backup-passphrase", PASSPHRASE);
        browser.click("#backup");
        browser.until(Duration.ofSeconds(30), d -> !browser.all("#backup-shares").isEmpty());
        assertTrue(browser.el("#backup-message").getText().contains("Backed up"), browser.el("#backup-message").getText());
        assertTrue(browser.el("#custody").getText().contains("at most one share"));
        shares = List.of(1, 2, 3, 4).stream().map(i -> browser.el("#share-" + i).getText().trim()).toList();
        for (int i = 1; i <= 4; i++) {
            assertEquals(1, browser.all("#share-qr-" + i + " svg").size(), "QR code for share " + i);
        }
        // the page's shares are core's format: any three of them rebuild the key in Java
        KeyPair rebuilt = KeyBackup.recover(KeyBackup.decodeAll(shares.subList(1, 4)));
        assertEquals(pubkey, rebuilt.publicKey().hex());
        assertEquals(200, get("/v1/identities/" + pubkey + "/backup-share").statusCode());
        browser.scrollTo("#backup-shares");
        browser.screenshot("key-backup");
        browser.assertNoConsoleErrors("the backup");
    }

    @Test
    @Order(2)
    void aFlippedCharacter_isRefused_withTheChecksumError() throws Exception {
        browser.js("window.confirm = () => true");
        browser.js("document.querySelector('#forget-key').click()");
        browser.waitFor("#recover-form", Duration.ofSeconds(10));
        String s = shares.get(0);
        int at = 12;
        char flipped = s.charAt(at) == 'A' ? 'B' : 'A';
        browser.paste("#recover-share-1", s.substring(0, at) + flipped + s.substring(at + 1));
        browser.paste("#recover-share-2", shares.get(1));
        browser.paste("#recover-share-3", shares.get(2));
        browser.type("#recover-passphrase", NEW_PASSPHRASE);
        browser.type("#recover-passphrase-again", NEW_PASSPHRASE);
        browser.click("#recover");
        browser.until(Duration.ofSeconds(20), d -> !browser.all("#recover-message [data-code]").isEmpty());
        assertEquals("SHARE_CHECKSUM", browser.el("#recover-message [data-code]").getAttribute("data-code"),
                browser.el("#recover-message").getText());
        assertTrue(browser.all("#identity-pubkey").isEmpty(), "nothing was stored");
    }

    @Test
    @Order(3)
    void twoShownShares_plusTheStoredOne_recoverTheKey_whichPublishesAgain() throws Exception {
        browser.route("#/keys");
        browser.waitFor("#recover-form", Duration.ofSeconds(10));
        browser.click("#recover-use-stored");
        browser.paste("#recover-share-1", shares.get(3));
        browser.paste("#recover-share-2", shares.get(1));
        browser.paste("#recover-pubkey", pubkey);
        browser.type("#recover-old-passphrase", PASSPHRASE);
        browser.type("#recover-passphrase", NEW_PASSPHRASE);
        browser.type("#recover-passphrase-again", NEW_PASSPHRASE);
        browser.click("#recover");
        assertEquals(pubkey, browser.waitFor("#identity-pubkey", Duration.ofSeconds(60)).getText());
        browser.assertNoConsoleErrors("the recovery");

        Path f = tmp.resolve("after-recovery.json");
        Files.writeString(f, "{\"title\":\"published after a recovery\"}");
        browser.route("#/publish");
        browser.upload("#record-files", List.of(f));
        browser.until(Duration.ofSeconds(10), d -> browser.all("#file-list li").size() == 1);
        browser.type("#publish-passphrase", NEW_PASSPHRASE);
        browser.click("#publish");
        try {
            browser.until(Duration.ofSeconds(60), d -> "1".equals(browser.el("#publish-progress").getAttribute("aria-valuenow")));
        } catch (RuntimeException e) {
            throw new AssertionError("publishing did not finish: " + browser.el("main").getText(), e);
        }
        assertEquals(1, browser.all("#publish-results li[data-job]").size(), browser.el("#publish-results").getText());
        assertEquals(1, stack.jobsOf(pubkey));
        browser.assertNoConsoleErrors("publishing after the recovery");
    }

    @Test
    @Order(4)
    void aJavaSplit_recoversInThePage() throws Exception {
        KeyPair key = KeyPair.generate();
        // registered, as a CLI user's key would be: the page checks the rebuilt key against GET /v1/identities/{pubkey}
        String register = EnvelopeSigner.sign(Payloads.register(key.publicKey(), "e2e-backup-" + System.nanoTime(), Instant.now()), key).toJson();
        assertEquals(201, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/identities"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(register)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        List<String> texts = KeyBackup.split(key, 3, 5, new SecureRandom()).stream().map(BackupShare::encode).toList();
        browser.route("#/keys");
        browser.js("window.confirm = () => true");
        browser.waitFor("#recover-form", Duration.ofSeconds(10));
        browser.paste("#recover-share-1", texts.get(4));
        browser.paste("#recover-share-2", texts.get(0));
        browser.paste("#recover-share-3", texts.get(2));
        browser.type("#recover-passphrase", NEW_PASSPHRASE);
        browser.type("#recover-passphrase-again", NEW_PASSPHRASE);
        browser.click("#recover");
        browser.until(Duration.ofSeconds(60), d -> key.publicKey().hex().equals(browser.el("#identity-pubkey").getText()));
        browser.assertNoConsoleErrors("recovering a Java split");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
