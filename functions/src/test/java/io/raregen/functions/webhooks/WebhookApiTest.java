package io.raregen.functions.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook endpoints over real HTTP against a real Postgres: registration, listing, replay and bad input. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookApiTest implements TestPropertyProvider {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestEnv env;
    private KeyPair key;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties(); // allow-loopback-http stays false: production rules
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @BeforeAll
    void registerKey() {
        key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(201, r.status(), r.toString());
    }

    static String payload(KeyPair key, String type, String field, String value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type).put("pubkey", key.publicKey().hex()).put("nonce", Envelopes.nonce())
                .put("createdAt", Instant.now().toString());
        if (field != null) {
            n.put(field, value);
        }
        try {
            return CanonicalJson.canonicalize(n.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(KeyPair key, String payload) {
        return EnvelopeSigner.sign(payload, key).toJson();
    }

    private ApiResponse send(ApiRequest request) {
        return new HttpTransport(server.getURI()).send(request);
    }

    private int webhookRows() {
        return Integer.parseInt(env.string("SELECT count(*)::text FROM webhooks"));
    }

    @Test
    void registerListReplayDelete() {
        ApiResponse r = send(ApiRequest.postJson("/v1/webhooks",
                signed(key, payload(key, "webhook-register", "url", "https://93.184.216.34/hook"))));
        assertEquals(201, r.status(), r.toString());
        String id = r.json().path("id").asText();
        assertTrue(r.json().path("secret").asText().startsWith("whsec_"), r.toString());

        ApiResponse list = send(ApiRequest.postJson("/v1/webhooks/list", signed(key, payload(key, "webhook-list", null, null))));
        assertEquals(200, list.status(), list.toString());
        assertEquals(id, list.json().path("webhooks").path(0).path("id").asText());
        assertFalse(list.body().contains("whsec_"), "the list never shows a secret");

        ApiResponse dead = send(ApiRequest.get("/v1/webhooks/" + id + "/dead-letters"));
        assertEquals(200, dead.status(), dead.toString());
        assertEquals(0, dead.json().path("deadLetters").size());

        ApiResponse replay = send(ApiRequest.postJson("/v1/webhooks/" + id + "/replay",
                signed(key, payload(key, "webhook-replay", "webhookId", id))));
        assertEquals(200, replay.status(), replay.toString());
        assertEquals(0, replay.json().path("replayed").asInt());

        ApiResponse del = send(ApiRequest.postJson("/v1/webhooks/" + id + "/delete",
                signed(key, payload(key, "webhook-delete", "webhookId", id))));
        assertEquals(204, del.status(), del.toString());
        assertEquals("deleted by its key", env.string("SELECT disabled_reason FROM webhooks WHERE id = '" + id + "'"));

        KeyPair other = KeyPair.generate();
        send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(other))));
        ApiResponse notHis = send(ApiRequest.postJson("/v1/webhooks/" + id + "/replay",
                signed(other, payload(other, "webhook-replay", "webhookId", id))));
        assertEquals("WEBHOOK_NOT_FOUND", notHis.code(), notHis.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "http URL, http://93.184.216.34/hook, WEBHOOK_URL_NOT_HTTPS",
            "http loopback outside local mode, http://127.0.0.1:8080/hook, WEBHOOK_URL_NOT_HTTPS",
            "private IP, https://10.0.0.5/hook, WEBHOOK_URL_FORBIDDEN",
            "192.168 IP, https://192.168.1.1/hook, WEBHOOK_URL_FORBIDDEN",
            "metadata service, https://169.254.169.254/latest/meta-data, WEBHOOK_URL_FORBIDDEN",
            "IPv4-mapped metadata, https://[::ffff:169.254.169.254]/, WEBHOOK_URL_FORBIDDEN",
            "loopback https, https://127.0.0.1/hook, WEBHOOK_URL_FORBIDDEN",
            "unique local IPv6, https://[fd00::1]/hook, WEBHOOK_URL_FORBIDDEN",
            "user info, https://user:pw@93.184.216.34/hook, WEBHOOK_URL_INVALID",
            "not a URL, not a url, WEBHOOK_URL_INVALID"})
    void badUrls_areRefused_andNothingIsWritten(String name, String url, String code) {
        int before = webhookRows();
        ApiResponse r = send(ApiRequest.postJson("/v1/webhooks", signed(key, payload(key, "webhook-register", "url", url))));
        assertEquals(400, r.status(), r.toString());
        assertEquals(code, r.code(), name + " -> " + r);
        assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
        assertEquals(before, webhookRows(), "nothing written");
    }

    @Test
    void theSameSignedRegistrationTwice_makesOneWebhook_andTheSecondIsNonceReused() {
        KeyPair own = KeyPair.generate(); // its own key: the other tests count this class's key's webhooks
        assertEquals(201, send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(own)))).status());
        String body = signed(own, payload(own, "webhook-register", "url", "https://93.184.216.34/once"));
        int before = webhookRows();
        ApiResponse first = send(ApiRequest.postJson("/v1/webhooks", body));
        assertEquals(201, first.status(), first.toString());
        ApiResponse again = send(ApiRequest.postJson("/v1/webhooks", body));
        assertEquals(409, again.status(), again.toString());
        assertEquals("NONCE_REUSED", again.code(), again.toString());
        assertEquals(before + 1, webhookRows(), "one webhook, one secret");
    }

    @Test
    void badSignature_andUnknownIdentity_areRefused() {
        int before = webhookRows();
        Envelope real = EnvelopeSigner.sign(payload(key, "webhook-register", "url", "https://93.184.216.34/a"), key);
        Envelope other = EnvelopeSigner.sign(payload(key, "webhook-register", "url", "https://93.184.216.34/b"), key);
        ApiResponse forged = send(ApiRequest.postJson("/v1/webhooks",
                new Envelope(real.signedPayload(), other.signature(), real.pubkey()).toJson()));
        assertEquals("SIGNATURE_INVALID", forged.code(), forged.toString());

        KeyPair stranger = KeyPair.generate();
        ApiResponse unknown = send(ApiRequest.postJson("/v1/webhooks",
                signed(stranger, payload(stranger, "webhook-register", "url", "https://93.184.216.34/hook"))));
        assertEquals("IDENTITY_UNKNOWN", unknown.code(), unknown.toString());

        ApiResponse wrongType = send(ApiRequest.postJson("/v1/webhooks",
                signed(key, payload(key, "webhook-list", "url", "https://93.184.216.34/hook"))));
        assertEquals("TYPE_MISMATCH", wrongType.code(), wrongType.toString());
        assertEquals(before, webhookRows(), "nothing written");
    }

    @Test
    void limitPerKey() {
        KeyPair k = KeyPair.generate();
        send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(k))));
        for (int i = 0; i < WebhookService.MAX_ACTIVE_PER_KEY; i++) {
            assertEquals(201, send(ApiRequest.postJson("/v1/webhooks",
                    signed(k, payload(k, "webhook-register", "url", "https://93.184.216.34/" + i)))).status());
        }
        ApiResponse r = send(ApiRequest.postJson("/v1/webhooks",
                signed(k, payload(k, "webhook-register", "url", "https://93.184.216.34/x"))));
        assertEquals("WEBHOOK_LIMIT", r.code(), r.toString());
    }
}
