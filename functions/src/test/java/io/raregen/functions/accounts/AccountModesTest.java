package io.raregen.functions.accounts;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.Mailbox;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Account registration mode, the per-client code throttle, and a mail server that is down: each on its own app
 * (same database), since each needs other settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountModesTest {

    private TestEnv env;
    private Mailbox mail;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        mail = Mailbox.start();
    }

    @AfterAll
    void stop() {
        mail.close();
        env.close();
    }

    private EmbeddedServer app(Map<String, Object> extra) {
        // every request of a test comes from 127.0.0.1: each test starts with that client's bucket full
        env.execute("DELETE FROM account_throttles");
        Map<String, Object> props = new HashMap<>(env.properties());
        props.putAll(mail.properties());
        props.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private static ApiResponse requestCode(Transport http, String email) {
        return http.send(ApiRequest.postJson("/v1/accounts/otp", "{\"email\":" + Envelopes.quote(email) + "}"));
    }

    @Test
    void accountMode_registersKeysOnlyWithASession_orForTheOperator() {
        try (EmbeddedServer s = app(Map.of("raregen.identity.registration-mode", "account"))) {
            Transport http = new HttpTransport(s.getURI());
            KeyPair anonymous = KeyPair.generate();
            ApiResponse r = http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(anonymous))));
            assertEquals(401, r.status(), r.toString());
            assertEquals("SESSION_INVALID", r.code());
            ApiResponse wrongToken = http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(anonymous)))
                    .withHeader("Authorization", "Bearer not-the-operator"));
            assertEquals(401, wrongToken.status());
            assertEquals("UNAUTHORIZED", wrongToken.code());
            assertEquals(0, env.count("SELECT count(*) FROM identities WHERE pubkey = ?", anonymous.publicKey().hex()));

            KeyPair service = KeyPair.generate();
            assertEquals(201, http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(service))).asOperator()).status());
            assertEquals(1, env.count("SELECT count(*) FROM identities WHERE pubkey = ? AND account_id IS NULL", service.publicKey().hex()));

            String email = "modes-" + System.nanoTime() + "@example.com";
            assertEquals(202, requestCode(http, email).status());
            ApiResponse in = http.send(ApiRequest.postJson("/v1/accounts/session", "{\"email\":" + Envelopes.quote(email)
                    + ",\"code\":" + Envelopes.quote(mail.code(email, 1, Duration.ofSeconds(10))) + "}"));
            assertEquals(201, in.status(), in.toString());
            KeyPair mine = KeyPair.generate();
            ApiResponse bound = http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(mine)))
                    .withHeader("Authorization", "Bearer " + in.json().get("token").asText()));
            assertEquals(201, bound.status(), bound.toString());
            assertEquals(1, env.count("SELECT count(*) FROM identities WHERE pubkey = ? AND account_id = ?::uuid",
                    mine.publicKey().hex(), in.json().get("account").get("accountId").asText()));
        }
    }

    @Test
    void oneClientAskingForCodesToManyAddresses_isThrottledAcrossAddresses() {
        try (EmbeddedServer s = app(Map.of("raregen.accounts.client-burst", 4, "raregen.accounts.client-refill", "1h"))) {
            Transport http = new HttpTransport(s.getURI());
            int sent = 0;
            ApiResponse last = null;
            for (int i = 0; i < 8; i++) {
                // a forwarding header of the client's own making does not make it another client
                last = http.send(ApiRequest.postJson("/v1/accounts/otp", "{\"email\":\"flood" + i + "-" + System.nanoTime() + "@example.com\"}")
                        .withHeader("X-Forwarded-For", "203.0.113." + i).withHeader("Forwarded", "for=198.51.100." + i));
                if (last.status() == 202) {
                    sent++;
                }
            }
            assertEquals(4, sent, "the client's burst, whatever the addresses");
            assertEquals(429, last.status());
            assertEquals("RATE_LIMITED", last.code());
        }
    }

    @Test
    void aMailServerThatIsDown_isMailUnavailable_andNoCodeIsLeftUsable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (EmbeddedServer s = app(Map.of("raregen.mail.smtp.port", closed))) {
            Transport http = new HttpTransport(s.getURI());
            String email = "down-" + System.nanoTime() + "@example.com";
            ApiResponse r = requestCode(http, email);
            assertEquals(503, r.status(), r.toString());
            assertEquals("MAIL_UNAVAILABLE", r.code());
            assertTrue(r.contentType().startsWith("application/problem+json"));
            assertEquals(0, env.count("SELECT count(*) FROM account_codes WHERE email = ?", email), "no code is kept that nobody received");
        }
    }
}
