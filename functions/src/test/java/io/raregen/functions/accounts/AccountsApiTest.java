package io.raregen.functions.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.Mailbox;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts end to end on a real Postgres, ElasticMQ and SMTP server (GreenMail): sign-up with a mailed code, sessions,
 * keys bound to accounts, credits debited with the job insert, 402 when they run out, operator grants, refunds of
 * failed jobs, and every kind of bad input ending with its code and nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsApiTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration MAIL_WAIT = Duration.ofSeconds(10);

    private TestEnv env;
    private Mailbox mail;
    private EmbeddedServer server;
    private Transport http;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        mail = Mailbox.start();
        Map<String, Object> props = new HashMap<>(env.properties());
        props.putAll(mail.properties());
        // this class signs in many addresses from one client: the per-client bucket is tested in AccountsThrottleTest
        props.put("raregen.accounts.client-burst", 1000);
        props.put("raregen.accounts.starter-credits", 3);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        http = new HttpTransport(server.getURI());
    }

    @AfterAll
    void stop() {
        server.close();
        mail.close();
        env.close();
    }

    static String address() {
        return "user" + SEQ.incrementAndGet() + "@example.com";
    }

    private ApiResponse requestCode(String email) {
        return http.send(ApiRequest.postJson("/v1/accounts/otp", "{\"email\":" + Envelopes.quote(email) + "}"));
    }

    private ApiResponse signIn(String email, String code) {
        return http.send(ApiRequest.postJson("/v1/accounts/session",
                "{\"email\":" + Envelopes.quote(email) + ",\"code\":" + Envelopes.quote(code) + "}"));
    }

    /** Signs up a fresh address; returns its session token. */
    String signUp(String email) {
        int nth = mail.to(email).size() + 1;
        assertEquals(202, requestCode(email).status());
        ApiResponse r = signIn(email, mail.code(email, nth, MAIL_WAIT));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("token").asText();
    }

    private ApiResponse withSession(ApiRequest request, String token) {
        return http.send(request.withHeader("Authorization", "Bearer " + token));
    }

    private JsonNode me(String token) {
        ApiResponse r = withSession(ApiRequest.get("/v1/accounts/me"), token);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private KeyPair registerWith(String token) {
        KeyPair key = KeyPair.generate();
        ApiResponse r = withSession(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))), token);
        assertEquals(201, r.status(), r.toString());
        return key;
    }

    private void assertLedgerBalances() {
        assertEquals(0, env.count("""
                SELECT count(*) FROM account_balances b
                WHERE b.credits <> (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.account_id = b.account_id)
                """), "every balance equals the sum of its ledger");
        assertEquals(0, env.count("""
                SELECT count(*) FROM accounts a
                WHERE (SELECT coalesce(-sum(delta), 0) FROM credit_ledger l WHERE l.account_id = a.account_id AND kind = 'publish')
                   <> (SELECT count(*) FROM publish_jobs j WHERE j.account_id = a.account_id)
                """), "every charged job is in a publish debit, and every debit is for jobs that exist");
    }

    @Test
    void signUp_mailsACode_createsTheAccountWithStarterCredits_andASecondSignInFindsIt() {
        String email = address();
        ApiResponse sent = requestCode(email);
        assertEquals(202, sent.status(), sent.toString());
        assertEquals("sent", sent.json().get("status").asText());
        assertEquals(600, sent.json().get("expiresInSeconds").asLong());
        String code = mail.code(email, 1, MAIL_WAIT);
        assertEquals(0, env.count("SELECT count(*) FROM account_codes WHERE position(convert_to(?, 'UTF8') in code_hash) > 0", code),
                "the code is not stored in the clear");

        ApiResponse first = signIn(email.toUpperCase(java.util.Locale.ROOT), code);
        assertEquals(201, first.status(), first.toString());
        assertTrue(first.json().get("accountCreated").asBoolean());
        String token = first.json().get("token").asText();
        assertTrue(token.startsWith("rgs_"), token);
        assertEquals(3, first.json().get("account").get("credits").asLong());
        assertEquals(email, first.json().get("account").get("email").asText());
        assertEquals(0, env.count("SELECT count(*) FROM account_sessions WHERE position(convert_to(?, 'UTF8') in token_hash) > 0", token.substring(4, 20)),
                "the token is not stored in the clear");

        JsonNode me = me(token);
        assertEquals(email, me.get("account").get("email").asText());
        JsonNode ledger = withSession(ApiRequest.get("/v1/accounts/me/ledger"), token).json();
        assertEquals(3, ledger.get("credits").asLong());
        assertEquals("starter", ledger.get("entries").get(0).get("kind").asText());
        assertFalse(ledger.get("entries").get(0).has("jobs"), "only a publish debit counts jobs");

        assertEquals(202, requestCode(email).status());
        ApiResponse second = signIn(email, mail.code(email, 2, MAIL_WAIT));
        assertEquals(201, second.status());
        assertFalse(second.json().get("accountCreated").asBoolean());
        assertEquals(first.json().get("account").get("accountId"), second.json().get("account").get("accountId"));
        assertEquals(1, env.count("SELECT count(*) FROM accounts WHERE email = ?", email));
        assertLedgerBalances();
    }

    @Test
    void wrongExpiredReusedAndForeignCodes_areOtpInvalid_andSixWrongTriesKillTheCode() {
        String email = address();
        assertEquals(202, requestCode(email).status());
        String code = mail.code(email, 1, MAIL_WAIT);
        String wrong = code.equals("000000") ? "111111" : "000000";

        // a code for another address
        String other = address();
        assertOtpInvalid(signIn(other, code));
        // five wrong tries, then the right code is dead too
        for (int i = 0; i < 5; i++) {
            assertOtpInvalid(signIn(email, wrong));
        }
        assertOtpInvalid(signIn(email, code));
        assertEquals(0, env.count("SELECT count(*) FROM accounts WHERE email = ?", email), "no account without a good code");

        // used once, then never again
        assertEquals(202, requestCode(email).status());
        String fresh = mail.code(email, 2, MAIL_WAIT);
        assertEquals(201, signIn(email, fresh).status());
        assertOtpInvalid(signIn(email, fresh));

        // expired
        assertEquals(202, requestCode(email).status());
        String late = mail.code(email, 3, MAIL_WAIT);
        env.execute("UPDATE account_codes SET expires_at = now() - interval '1 second' WHERE email = ?", email);
        assertOtpInvalid(signIn(email, late));

        // shapes that are not codes
        for (String bad : List.of("", "12345", "1234567", "abcdef", "12345 ", "１２３４５６")) {
            assertOtpInvalid(signIn(email, bad));
        }
        ApiResponse missing = http.send(ApiRequest.postJson("/v1/accounts/session", "{\"email\":" + Envelopes.quote(email) + "}"));
        assertOtpInvalid(missing);
        assertEquals(1, env.count("SELECT count(*) FROM account_sessions s JOIN accounts a USING (account_id) WHERE a.email = ?", email));
    }

    private static void assertOtpInvalid(ApiResponse r) {
        assertEquals(401, r.status(), r.toString());
        assertEquals("OTP_INVALID", r.code(), r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }

    @Test
    void malformedEmails_areEmailInvalid_sendNothing_andStoreNothing() {
        int mails = mail.total();
        long codes = env.count("SELECT count(*) FROM account_codes");
        long throttles = env.count("SELECT count(*) FROM account_throttles WHERE bucket LIKE 'email:%'");
        for (String bad : List.of("", "plain", "a@b", "@example.com", "x@", "x@@example.com", "x..y@example.com",
                "x@example.com\r\nBcc: victim@example.org", "x@example.com\nSubject: hi", "x@example.com,y@example.com",
                "Name <x@example.com>", "x y@example.com", "x@exa mple.com", "x@-example.com", "x@example.com.",
                "\"quoted\"@example.com", "x@[127.0.0.1]", "ünï@example.com", "x".repeat(65) + "@example.com",
                "x@" + "a".repeat(250) + ".com")) {
            ApiResponse r = requestCode(bad);
            assertEquals(400, r.status(), bad + ": " + r);
            assertEquals("EMAIL_INVALID", r.code(), bad);
        }
        for (String body : List.of("{\"email\":5}", "{\"email\":[\"x@example.com\"]}", "[]", "not json", "{}", "{\"email\":null}")) {
            ApiResponse r = http.send(ApiRequest.postJson("/v1/accounts/otp", body));
            assertEquals(400, r.status(), body + ": " + r);
            assertTrue(List.of("EMAIL_INVALID", "BAD_REQUEST").contains(r.code()), body + ": " + r.code());
        }
        assertEquals(mails, mail.total(), "no mail went out");
        assertEquals(codes, env.count("SELECT count(*) FROM account_codes"));
        assertEquals(throttles, env.count("SELECT count(*) FROM account_throttles WHERE bucket LIKE 'email:%'"));
    }

    @Test
    void aFloodOfCodesForOneAddress_isThrottled_withRetryAfter_theSameWayForKnownAndUnknownAddresses() {
        String known = address();
        signUp(known);
        String unknown = address();
        // the known one already had a code sent in signUp: 2 more fit in its bucket of 3; the unknown one gets 3
        for (int i = 0; i < 2; i++) {
            assertEquals(202, requestCode(known).status());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(202, requestCode(unknown).status());
        }
        for (String email : List.of(known, unknown)) {
            ApiResponse r = requestCode(email);
            assertEquals(429, r.status(), r.toString());
            assertEquals("RATE_LIMITED", r.code());
        }
        assertEquals(3, mail.to(unknown).size());
        assertEquals(3, mail.to(known).size());
    }

    @Test
    void sessions_areListedAndRevocable_andARevokedOrSignedOutTokenIsRefusedEverywhere() {
        String email = address();
        String laptop = signUp(email);
        String phone = signUp(email);
        JsonNode list = withSession(ApiRequest.get("/v1/accounts/me/sessions"), laptop).json().get("sessions");
        assertEquals(2, list.size());
        String phoneId = null;
        for (JsonNode s : list) {
            if (!s.get("current").asBoolean()) {
                phoneId = s.get("sessionId").asText();
            }
        }
        assertEquals(204, withSession(new ApiRequest("DELETE", "/v1/accounts/me/sessions/" + phoneId, null, Map.of()), laptop).status());
        assertSessionInvalid(withSession(ApiRequest.get("/v1/accounts/me"), phone));
        // the stolen token cannot register a key either
        KeyPair key = KeyPair.generate();
        assertSessionInvalid(withSession(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))), phone));
        assertEquals(0, env.count("SELECT count(*) FROM identities WHERE pubkey = ?", key.publicKey().hex()));
        ApiResponse again = withSession(new ApiRequest("DELETE", "/v1/accounts/me/sessions/" + phoneId, null, Map.of()), laptop);
        assertEquals(404, again.status());
        assertEquals("SESSION_NOT_FOUND", again.code());
        assertEquals("SESSION_ID_INVALID",
                withSession(new ApiRequest("DELETE", "/v1/accounts/me/sessions/not-a-uuid", null, Map.of()), laptop).code());

        assertEquals(204, withSession(new ApiRequest("DELETE", "/v1/accounts/session", null, Map.of()), laptop).status());
        assertSessionInvalid(withSession(ApiRequest.get("/v1/accounts/me"), laptop));
        assertSessionInvalid(http.send(ApiRequest.get("/v1/accounts/me")));
        assertSessionInvalid(withSession(ApiRequest.get("/v1/accounts/me"), "rgs_" + "A".repeat(43)));
        assertSessionInvalid(withSession(ApiRequest.get("/v1/accounts/me"), "not-a-token"));
        // another account cannot revoke this one's sessions
        String mine = signUp(email);
        String mineId = withSession(ApiRequest.get("/v1/accounts/me/sessions"), mine).json().get("sessions").get(0).get("sessionId").asText();
        String stranger = signUp(address());
        assertEquals(404, withSession(new ApiRequest("DELETE", "/v1/accounts/me/sessions/" + mineId, null, Map.of()), stranger).status());
        assertEquals(200, withSession(ApiRequest.get("/v1/accounts/me"), mine).status());
    }

    private static void assertSessionInvalid(ApiResponse r) {
        assertEquals(401, r.status(), r.toString());
        assertEquals("SESSION_INVALID", r.code(), r.toString());
    }

    @Test
    void aKeyRegisteredWithASession_belongsToThatAccount_andNoOtherAccountCanTakeOrUseIt() {
        String alice = signUp(address());
        String bob = signUp(address());
        KeyPair key = registerWith(alice);
        JsonNode keys = me(alice).get("keys");
        assertEquals(1, keys.size());
        assertEquals(key.publicKey().hex(), keys.get(0).get("pubkey").asText());

        ApiResponse taken = withSession(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))), bob);
        assertEquals(403, taken.status(), taken.toString());
        assertEquals("IDENTITY_OTHER_ACCOUNT", taken.code());
        assertEquals(0, me(bob).get("keys").size());

        // bob's session with alice's key: refused, nothing written, nothing charged
        long jobs = env.count("SELECT count(*) FROM publish_jobs");
        ApiResponse used = withSession(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))), bob);
        assertEquals(403, used.status(), used.toString());
        assertEquals("IDENTITY_OTHER_ACCOUNT", used.code());
        assertEquals(jobs, env.count("SELECT count(*) FROM publish_jobs"));
        assertEquals(3, me(alice).get("account").get("credits").asLong());

        // a key registered without a session, then with one: bound on the second registration
        KeyPair loose = KeyPair.generate();
        assertEquals(201, http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(loose)))).status());
        assertEquals(200, withSession(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(loose))), bob).status());
        assertEquals(1, me(bob).get("keys").size());
        assertLedgerBalances();
    }

    @Test
    void eachPublishDebitsOneCredit_aRetryNone_thenCreditsExhaustedWritesNothing_andAGrantLetsItGoOn() {
        String token = signUp(address());
        KeyPair key = registerWith(token);
        String accountId = me(token).get("account").get("accountId").asText();
        ElasticMq.drain(env.queueUrl());

        String first = Envelopes.body(Envelopes.publish(key));
        assertEquals(202, http.send(ApiRequest.postJson("/v1/publish", first)).status());
        assertEquals(200, http.send(ApiRequest.postJson("/v1/publish", first)).status(), "a byte-identical retry");
        assertEquals(2, me(token).get("account").get("credits").asLong(), "the retry was not charged");
        assertEquals(202, withSession(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))), token).status(),
                "with the owner's session");
        assertEquals(202, http.send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status());
        assertEquals(0, me(token).get("account").get("credits").asLong());

        String broke = Envelopes.body(Envelopes.publish(key));
        ApiResponse r = http.send(ApiRequest.postJson("/v1/publish", broke));
        assertEquals(402, r.status(), r.toString());
        assertEquals("CREDITS_EXHAUSTED", r.code());
        assertEquals(3, env.count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(3, ElasticMq.drain(env.queueUrl()).size(), "nothing sent for the refused publish");

        ApiResponse grant = http.send(ApiRequest.postJson("/v1/ops/accounts/" + accountId + "/grants",
                "{\"credits\":2,\"note\":\"support ticket 7\",\"reference\":\"ticket-7\"}").asOperator());
        assertEquals(201, grant.status(), grant.toString());
        assertEquals(2, grant.json().get("credits").asLong());
        ApiResponse repeat = http.send(ApiRequest.postJson("/v1/ops/accounts/" + accountId + "/grants",
                "{\"credits\":2,\"note\":\"support ticket 7\",\"reference\":\"ticket-7\"}").asOperator());
        assertEquals(200, repeat.status(), repeat.toString());
        assertTrue(repeat.json().get("repeated").asBoolean());
        assertEquals(2, me(token).get("account").get("credits").asLong(), "a repeated grant adds nothing");

        assertEquals(202, http.send(ApiRequest.postJson("/v1/publish", broke)).status(), "the refused request, sent again");
        JsonNode entries = withSession(ApiRequest.get("/v1/accounts/me/ledger"), token).json().get("entries");
        assertEquals("publish", entries.get(0).get("kind").asText());
        assertEquals(-1, entries.get(0).get("delta").asLong());
        assertEquals("grant", entries.get(1).get("kind").asText());
        assertEquals(4, withSession(ApiRequest.get("/v1/accounts/me/jobs"), token).json().get("jobs").size());
        assertLedgerBalances();
    }

    @Test
    void concurrentPublishesOfOneAccount_acceptExactlyItsCredits() throws Exception {
        String token = signUp(address());
        List<KeyPair> keys = List.of(registerWith(token), registerWith(token));
        String accountId = me(token).get("account").get("accountId").asText();
        assertEquals(201, http.send(ApiRequest.postJson("/v1/ops/accounts/" + accountId + "/grants", "{\"credits\":17}").asOperator()).status());
        int n = 40;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(Envelopes.body(Envelopes.publish(keys.get(i % 2))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        int accepted = 0;
        int refused = 0;
        try {
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return http.send(ApiRequest.postJson("/v1/publish", body));
                }));
            }
            go.countDown();
            for (Future<ApiResponse> f : futures) {
                ApiResponse r = f.get();
                if (r.status() == 202) {
                    accepted++;
                } else {
                    assertEquals(402, r.status(), r.toString());
                    refused++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, accepted, "3 starter credits + 17 granted");
        assertEquals(n - 20, refused);
        assertEquals(0, me(token).get("account").get("credits").asLong());
        assertLedgerBalances();
    }

    @Test
    void aChargedJobThatFails_isRefundedOnce_evenWhenReDrivenAndFailedAgain() {
        String token = signUp(address());
        KeyPair key = registerWith(token);
        ApiResponse r = http.send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));
        assertEquals(202, r.status());
        String jobId = r.json().get("jobId").asText();
        assertEquals(2, me(token).get("account").get("credits").asLong());
        env.execute("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST_FAULT', failed_at = now() WHERE job_id = ?", jobId);
        assertEquals(3, me(token).get("account").get("credits").asLong());
        env.execute("UPDATE publish_jobs SET status = 'queued', error_code = NULL WHERE job_id = ?", jobId);
        env.execute("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST_FAULT', failed_at = now() WHERE job_id = ?", jobId);
        assertEquals(3, me(token).get("account").get("credits").asLong(), "refunded once");
        JsonNode refund = withSession(ApiRequest.get("/v1/accounts/me/ledger?limit=1"), token).json().get("entries").get(0);
        assertEquals("refund", refund.get("kind").asText());
        assertEquals(jobId, refund.get("jobId").asText());
        assertEquals(1, env.count("SELECT count(*) FROM credit_ledger WHERE job_id = ?", jobId));
        assertEquals(0, env.count("""
                SELECT count(*) FROM account_balances b
                WHERE b.credits <> (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.account_id = b.account_id)
                """));
    }

    @Test
    void grants_needTheOperator_andTakeOnlyWholePositiveCredits_forAccountsThatExist() {
        String token = signUp(address());
        String accountId = me(token).get("account").get("accountId").asText();
        String path = "/v1/ops/accounts/" + accountId + "/grants";
        ApiResponse anonymous = http.send(ApiRequest.postJson(path, "{\"credits\":5}"));
        assertEquals(401, anonymous.status());
        assertEquals("UNAUTHORIZED", anonymous.code());
        ApiResponse withSession = withSession(ApiRequest.postJson(path, "{\"credits\":5}"), token);
        assertEquals(401, withSession.status(), "a session is not the operator");
        for (String body : List.of("{\"credits\":0}", "{\"credits\":-5}", "{\"credits\":1.5}", "{\"credits\":\"5\"}",
                "{\"credits\":1000000001}", "{\"credits\":99999999999999999999}", "{}")) {
            ApiResponse r = http.send(ApiRequest.postJson(path, body).asOperator());
            assertEquals(400, r.status(), body + ": " + r);
            assertEquals("CREDITS_INVALID", r.code(), body);
        }
        assertEquals("BAD_REQUEST", http.send(ApiRequest.postJson(path, "{\"credits\":5,\"note\":\"a\\nb\"}").asOperator()).code());
        assertEquals("ACCOUNT_NOT_FOUND", http.send(ApiRequest.postJson("/v1/ops/accounts/" + java.util.UUID.randomUUID() + "/grants",
                "{\"credits\":5}").asOperator()).code());
        assertEquals("ACCOUNT_ID_INVALID", http.send(ApiRequest.postJson("/v1/ops/accounts/nope/grants", "{\"credits\":5}").asOperator()).code());
        assertEquals(3, me(token).get("account").get("credits").asLong(), "nothing was granted");
        assertEquals(1, env.count("SELECT count(*) FROM credit_ledger WHERE account_id = ?::uuid", accountId));

        JsonNode found = http.send(ApiRequest.get("/v1/ops/accounts?email=" + me(token).get("account").get("email").asText()).asOperator()).json();
        assertEquals(accountId, found.get("account").get("accountId").asText());
        assertNotEquals(0, found.get("ledger").size());
        assertEquals(401, http.send(ApiRequest.get("/v1/ops/accounts?email=x@example.com")).status());
    }

    @Test
    void plans_areDefinedAndAssignedByTheOperatorOnly_withStableCodes() {
        String token = signUp(address());
        String accountId = me(token).get("account").get("accountId").asText();
        ApiRequest pro = new ApiRequest("PUT", "/v1/ops/plans/pro", "{\"monthlyCredits\":5000}", Map.of("Content-Type", "application/json"));
        assertEquals(401, http.send(pro).status(), "not without the operator token");
        ApiResponse created = http.send(pro.asOperator());
        assertEquals(200, created.status(), created.toString());
        assertEquals(5000, created.json().get("monthlyCredits").asLong());
        for (String bad : List.of("Pro", "1pro", "pro_plan", "p".repeat(33))) {
            ApiResponse r = http.send(new ApiRequest("PUT", "/v1/ops/plans/" + bad, "{\"monthlyCredits\":5}",
                    Map.of("Content-Type", "application/json")).asOperator());
            assertEquals("PLAN_NAME_INVALID", r.code(), bad);
        }
        assertEquals("CREDITS_INVALID", http.send(new ApiRequest("PUT", "/v1/ops/plans/pro", "{\"monthlyCredits\":0}",
                Map.of("Content-Type", "application/json")).asOperator()).code());
        assertEquals(5000, http.send(ApiRequest.get("/v1/ops/plans").asOperator()).json().get("plans").get(0).get("monthlyCredits").asLong());

        String path = "/v1/ops/accounts/" + accountId + "/plan";
        ApiResponse unknown = http.send(new ApiRequest("PUT", path, "{\"plan\":\"gold\"}", Map.of("Content-Type", "application/json")).asOperator());
        assertEquals(404, unknown.status());
        assertEquals("PLAN_NOT_FOUND", unknown.code());
        ApiResponse on = http.send(new ApiRequest("PUT", path, "{\"plan\":\"pro\"}", Map.of("Content-Type", "application/json")).asOperator());
        assertEquals(200, on.status(), on.toString());
        assertEquals("pro", on.json().get("account").get("plan").asText());
        assertEquals("pro", me(token).get("account").get("plan").asText());
        assertEquals(401, withSession(new ApiRequest("PUT", path, "{\"plan\":null}", Map.of("Content-Type", "application/json")), token).status(),
                "an account cannot choose its own plan");
        ApiResponse off = http.send(new ApiRequest("PUT", path, "{\"plan\":null}", Map.of("Content-Type", "application/json")).asOperator());
        assertEquals(200, off.status());
        assertFalse(me(token).get("account").has("plan"));
        assertEquals("ACCOUNT_NOT_FOUND", http.send(new ApiRequest("PUT", "/v1/ops/accounts/" + java.util.UUID.randomUUID() + "/plan",
                "{\"plan\":\"pro\"}", Map.of("Content-Type", "application/json")).asOperator()).code());
    }

    @Test
    void depositAddress_isTheAccountsOwn_derivedFromThePublishedTerms() {
        String alice = signUp(address());
        String bob = signUp(address());
        env.execute("DELETE FROM deposit_terms");
        ApiResponse none = withSession(ApiRequest.get("/v1/accounts/me/deposit"), alice);
        assertEquals(503, none.status(), none.toString());
        assertEquals("DEPOSITS_UNAVAILABLE", none.code());

        io.raregen.core.keys.DepositKeys keys = io.raregen.core.keys.DepositKeys.fromServiceKey(KeyPair.fromPrivateKeyHex("44".repeat(32)));
        env.execute("INSERT INTO deposit_terms (xpub, network, sats_per_credit, confirmations) VALUES (?, 'regtest', 100, 6)", keys.xpub());
        JsonNode a = withSession(ApiRequest.get("/v1/accounts/me/deposit"), alice).json();
        JsonNode again = withSession(ApiRequest.get("/v1/accounts/me/deposit"), alice).json();
        JsonNode b = withSession(ApiRequest.get("/v1/accounts/me/deposit"), bob).json();
        assertEquals(a.get("address"), again.get("address"), "the same address every time");
        assertNotEquals(a.get("address").asText(), b.get("address").asText(), "never another account's");
        long aliceIndex = env.count("SELECT deposit_index FROM accounts WHERE email = ?", me(alice).get("account").get("email").asText());
        assertEquals(keys.address((int) aliceIndex, io.raregen.core.keys.Network.REGTEST), a.get("address").asText());
        assertEquals(100, a.get("satsPerCredit").asLong());
        assertEquals(6, a.get("confirmations").asInt());
        assertEquals(0, a.get("payments").size());
        assertEquals(401, http.send(ApiRequest.get("/v1/accounts/me/deposit")).status());
    }
}
