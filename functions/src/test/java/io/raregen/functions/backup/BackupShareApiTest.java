package io.raregen.functions.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.backup.EncryptedShare;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
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
import org.junit.jupiter.params.provider.MethodSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backup-share endpoints over real HTTP on Netty against a real Postgres: storage, replays and bad input. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupShareApiTest implements TestPropertyProvider {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();

    private TestEnv env;
    private static Fixture fixture;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    record Fixture(KeyPair active, KeyPair revoked, KeyPair stranger) {
    }

    @BeforeAll
    void registerKeys() {
        fixture = new Fixture(registered(), registered(), KeyPair.generate());
        assertEquals(200, send(ApiRequest.postJson("/v1/identities/" + fixture.revoked.publicKey().hex() + "/revoke", "")
                .asOperator()).status());
    }

    @Test
    void storeReadReplaceAndDelete() {
        KeyPair key = registered();
        ObjectNode first = sealed();
        String firstBody = putBody(key, first, Instant.now().minusSeconds(2));
        ApiResponse stored = send(put(key, firstBody));
        assertEquals(200, stored.status(), stored.toString());
        assertEquals(key.publicKey().hex(), stored.json().path("pubkey").asText());

        ApiResponse read = send(ApiRequest.get(path(key)));
        assertEquals(200, read.status(), read.toString());
        assertEquals(first, read.json().path("share"));
        assertEquals(stored.json().path("storedAt"), read.json().path("storedAt"));

        assertEquals(200, send(put(key, firstBody)).status(), "the same signed request again is a harmless retry");

        ObjectNode second = sealed();
        assertEquals(200, send(put(key, putBody(key, second, Instant.now().minusSeconds(1)))).status());
        assertEquals(second, send(ApiRequest.get(path(key))).json().path("share"));
        assertEquals(1, env.count("SELECT count(*) FROM backup_shares WHERE pubkey = ?", key.publicKey().hex()), "one share per key");

        ApiResponse replay = send(put(key, firstBody));
        assertEquals(409, replay.status(), replay.toString());
        assertEquals("BACKUP_SHARE_STALE", replay.code());
        assertEquals(second, send(ApiRequest.get(path(key))).json().path("share"), "a replay changes nothing");

        ApiResponse deleted = send(delete(key, deleteBody(key, Instant.now())));
        assertEquals(204, deleted.status(), deleted.toString());
        ApiResponse gone = send(ApiRequest.get(path(key)));
        assertEquals(404, gone.status(), gone.toString());
        assertEquals("BACKUP_SHARE_NOT_FOUND", gone.code());
        assertNull(env.string("SELECT share FROM backup_shares WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals("BACKUP_SHARE_STALE", send(put(key, firstBody)).code(), "a replayed PUT cannot undo the delete");

        assertEquals(200, send(put(key, putBody(key, first, Instant.now().plusMillis(5)))).status(), "a new request stores again");
        assertEquals(first, send(ApiRequest.get(path(key))).json().path("share"));
    }

    @Test
    void aRevokedKeyCanStillDeleteItsShare() {
        ApiResponse r = send(delete(fixture.revoked, deleteBody(fixture.revoked, Instant.now())));
        assertEquals(204, r.status(), r.toString());
    }

    record Case(String name, Function<Fixture, ApiRequest> request, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("put for an unregistered key", f -> put(f.stranger, putBody(f.stranger, sealed(), Instant.now())), 403, "IDENTITY_UNKNOWN"));
        c.add(new Case("put for a revoked key", f -> put(f.revoked, putBody(f.revoked, sealed(), Instant.now())), 403, "IDENTITY_REVOKED"));
        c.add(new Case("put signed by another key", f -> put(f.active, putBody(f.stranger, sealed(), Instant.now())), 400, "PUBKEY_PATH_MISMATCH"));
        c.add(new Case("put with a path key that is not hex", f -> put("zz", putBody(f.active, sealed(), Instant.now())), 400, "PUBKEY_INVALID"));
        c.add(new Case("put with an upper-case path key", f -> put(f.active.publicKey().hex().toUpperCase(), putBody(f.active, sealed(), Instant.now())), 400, "PUBKEY_INVALID"));
        c.add(new Case("put without a share", f -> put(f.active, signed(f.active, payload(f.active, null))), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with a share that is a string", f -> put(f.active, signed(f.active, payload(f.active, JSON.getNodeFactory().textNode("x")))), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with another format", f -> put(f.active, putBody(f.active, sealed().put("format", "raregen-backup-share/2"), Instant.now())), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with too few iterations", f -> put(f.active, putBody(f.active, withKdf(sealed(), "iterations", 1000), Instant.now())), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with a short salt", f -> put(f.active, putBody(f.active, withKdfText(sealed(), "salt", "AAAA"), Instant.now())), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with a ciphertext over the limit", f -> put(f.active, putBody(f.active, sealed().put("ciphertext", b64(new byte[EncryptedShare.MAX_CIPHERTEXT_BYTES + 1])), Instant.now())), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put with an extra share field", f -> put(f.active, putBody(f.active, sealed().put("hint", "my dog"), Instant.now())), 400, "BACKUP_SHARE_INVALID"));
        c.add(new Case("put signed as a registration", f -> put(f.active, Envelopes.body(Envelopes.register(f.active))), 400, "TYPE_MISMATCH"));
        c.add(new Case("put whose payload names another key", f -> put(f.active, signed(f.active, Payloads.backupShare(f.stranger.publicKey(), sealed(), Envelopes.nonce(), Instant.now()))), 400, "PUBKEY_MISMATCH"));
        c.add(new Case("put signed too long ago", f -> put(f.active, putBody(f.active, sealed(), Instant.now().minus(Duration.ofHours(1)))), 400, "EXPIRED"));
        c.add(new Case("put with a forged signature", f -> put(f.active, forged(f.active)), 400, "SIGNATURE_INVALID"));
        c.add(new Case("put that is not JSON", f -> put(f.active, "not json"), 400, "MALFORMED_JSON"));
        c.add(new Case("put with no body", f -> new ApiRequest("PUT", path(f.active), null, Map.of("Content-Type", "application/json")), 400, "MALFORMED_JSON"));
        c.add(new Case("put as text/plain", f -> put(f.active, putBody(f.active, sealed(), Instant.now())).withContentType("text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"));
        c.add(new Case("get for a key with no share", f -> ApiRequest.get(path(f.stranger)), 404, "BACKUP_SHARE_NOT_FOUND"));
        c.add(new Case("get with a bad key", f -> ApiRequest.get("/v1/identities/02abc/backup-share"), 400, "PUBKEY_INVALID"));
        c.add(new Case("delete for an unregistered key", f -> delete(f.stranger, deleteBody(f.stranger, Instant.now())), 403, "IDENTITY_UNKNOWN"));
        c.add(new Case("delete signed by another key", f -> delete(f.active, deleteBody(f.stranger, Instant.now())), 400, "PUBKEY_PATH_MISMATCH"));
        c.add(new Case("delete signed as a put", f -> delete(f.active, putBody(f.active, sealed(), Instant.now())), 400, "TYPE_MISMATCH"));
        c.add(new Case("delete with no body", f -> new ApiRequest("DELETE", path(f.active), null, Map.of("Content-Type", "application/json")), 400, "MALFORMED_JSON"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsItsCode_andWritesNothing(Case c) {
        String before = env.string("SELECT coalesce(string_agg(pubkey || ':' || coalesce(share, '-') || signed_at, ',' ORDER BY pubkey), '') FROM backup_shares");
        ApiResponse r = send(c.request().apply(fixture));
        assertEquals(c.status(), r.status(), c.name() + " -> " + r);
        assertEquals(c.code(), r.code(), c.name() + " -> " + r);
        assertTrue(r.contentType() != null && r.contentType().startsWith("application/problem+json"), r.toString());
        assertEquals(before, env.string("SELECT coalesce(string_agg(pubkey || ':' || coalesce(share, '-') || signed_at, ',' ORDER BY pubkey), '') FROM backup_shares"),
                "nothing written");
    }

    private KeyPair registered() {
        KeyPair key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(201, r.status(), r.toString());
        return key;
    }

    private ApiResponse send(ApiRequest request) {
        return new HttpTransport(server.getURI()).send(request);
    }

    static String path(KeyPair key) {
        return "/v1/identities/" + key.publicKey().hex() + "/backup-share";
    }

    static ApiRequest put(KeyPair key, String body) {
        return put(key.publicKey().hex(), body);
    }

    static ApiRequest put(String pubkey, String body) {
        return new ApiRequest("PUT", "/v1/identities/" + pubkey + "/backup-share", body, Map.of("Content-Type", "application/json"));
    }

    static ApiRequest delete(KeyPair key, String body) {
        return new ApiRequest("DELETE", path(key), body, Map.of("Content-Type", "application/json"));
    }

    /** A well-formed sealed share; the service cannot tell random bytes from a real ciphertext, nor should it. */
    static ObjectNode sealed() {
        return new EncryptedShare(EncryptedShare.MIN_ITERATIONS, random(16), random(12), random(111)).toJson();
    }

    static String putBody(KeyPair key, JsonNode share, Instant createdAt) {
        return signed(key, Payloads.backupShare(key.publicKey(), share, Envelopes.nonce(), createdAt));
    }

    static String deleteBody(KeyPair key, Instant createdAt) {
        return signed(key, Payloads.backupShareDelete(key.publicKey(), Envelopes.nonce(), createdAt));
    }

    /** A backup-share payload with the share field given as is (or left out), to get past the Payloads checks. */
    static String payload(KeyPair key, JsonNode shareOrNull) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "backup-share").put("pubkey", key.publicKey().hex()).put("nonce", Envelopes.nonce())
                .put("createdAt", Instant.now().toString());
        if (shareOrNull != null) {
            n.set("share", shareOrNull);
        }
        try {
            return io.raregen.core.json.CanonicalJson.canonicalize(n.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(KeyPair key, String payload) {
        return EnvelopeSigner.sign(payload, key).toJson();
    }

    static String forged(KeyPair key) {
        Envelope real = EnvelopeSigner.sign(Payloads.backupShare(key.publicKey(), sealed(), Envelopes.nonce(), Instant.now()), key);
        Envelope other = EnvelopeSigner.sign(Payloads.backupShare(key.publicKey(), sealed(), Envelopes.nonce(), Instant.now()), key);
        return new Envelope(real.signedPayload(), other.signature(), real.pubkey()).toJson();
    }

    static ObjectNode withKdf(ObjectNode share, String field, int value) {
        ((ObjectNode) share.get("kdf")).put(field, value);
        return share;
    }

    static ObjectNode withKdfText(ObjectNode share, String field, String value) {
        ((ObjectNode) share.get("kdf")).put(field, value);
        return share;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return java.util.Base64.getEncoder().encodeToString(b);
    }
}
