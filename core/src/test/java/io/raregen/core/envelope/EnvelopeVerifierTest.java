package io.raregen.core.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Secp256k1;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeVerifierTest {
    static final Instant NOW = Instant.parse("2026-11-22T19:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("3c".repeat(32));
    static final KeyPair OTHER = KeyPair.fromPrivateKeyHex("4d".repeat(32));
    static final ObjectMapper JSON = new ObjectMapper();
    final EnvelopeVerifier verifier = new EnvelopeVerifier(CLOCK, Duration.ofMinutes(5), 1_000);

    // ---------- helpers ----------

    static ObjectNode publishFields() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "publish");
        n.putObject("record").put("title", "hello").put("n", 1);
        n.put("nonce", "nonce-1");
        n.put("createdAt", NOW.toString());
        return n;
    }

    static ObjectNode registerFields(KeyPair key) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "register");
        n.put("pubkey", key.publicKey().hex());
        n.put("nonce", "reg-1");
        n.put("createdAt", NOW.toString());
        return n;
    }

    static String canonical(JsonNode n) {
        try {
            return CanonicalJson.canonicalize(JSON.writeValueAsString(n));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Envelope signed(JsonNode payload) {
        return EnvelopeSigner.sign(canonical(payload), KEY);
    }

    static Envelope signedRaw(String payload) {
        return EnvelopeSigner.sign(payload, KEY);
    }

    static String body(String signedPayload, String signature, String pubkey) {
        ObjectNode n = JSON.createObjectNode();
        n.put("signedPayload", signedPayload).put("signature", signature).put("pubkey", pubkey);
        return n.toString();
    }

    static String derToBase64(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        byte[] der = new byte[6 + rb.length + sb.length];
        der[0] = 0x30;
        der[1] = (byte) (4 + rb.length + sb.length);
        der[2] = 0x02;
        der[3] = (byte) rb.length;
        System.arraycopy(rb, 0, der, 4, rb.length);
        der[4 + rb.length] = 0x02;
        der[5 + rb.length] = (byte) sb.length;
        System.arraycopy(sb, 0, der, 6 + rb.length, sb.length);
        return Base64.getEncoder().encodeToString(der);
    }

    /** 02 || x for the smallest x that is not the x-coordinate of a curve point. */
    static String pubkeyNotOnCurve() {
        for (int x = 1; ; x++) {
            String hex = "02" + String.format("%064x", x);
            try {
                Secp256k1.decodeCompressed(io.raregen.core.internal.Hex.decode(hex));
            } catch (IllegalArgumentException e) {
                return hex;
            }
        }
    }

    interface Bad {
        void run() throws EnvelopeException;
    }

    static void assertRejected(RejectionCode code, Bad bad) {
        EnvelopeException e = assertThrows(EnvelopeException.class, bad::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    // ---------- happy paths ----------

    @Test
    void verify_validPublish_returnsTheCheckedFields() throws Exception {
        ObjectNode p = publishFields();
        p.put("recordId", "rec-42");
        Envelope e = signed(p);
        VerifiedEnvelope v = verifier.verify(e, "publish");
        assertEquals("publish", v.type());
        assertEquals("nonce-1", v.nonce());
        assertEquals(NOW, v.createdAt());
        assertEquals("rec-42", v.recordId().orElseThrow());
        assertEquals(KEY.publicKey(), v.publicKey());
        assertArrayEquals(Hashes.sha256(e.signedPayload().getBytes(StandardCharsets.UTF_8)), v.payloadHash());
        assertEquals(64, v.payloadHashHex().length());
    }

    @Test
    void verify_validRegister_isAccepted() throws Exception {
        VerifiedEnvelope v = verifier.verify(signed(registerFields(KEY)), "register");
        assertTrue(v.recordId().isEmpty());
    }

    @Test
    void verify_createdAtExactlyAtTheTtlEdges_isAccepted() throws Exception {
        for (Instant t : List.of(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(5)))) {
            ObjectNode p = publishFields();
            p.put("createdAt", t.toString());
            verifier.verify(signed(p), "publish");
        }
    }

    @Test
    void verify_createdAtWithOffsetAndFraction_isAccepted() throws Exception {
        ObjectNode p = publishFields();
        p.put("createdAt", "2026-11-22T20:01:30.123+01:00");
        assertEquals(Instant.parse("2026-11-22T19:01:30.123Z"), verifier.verify(signed(p), "publish").createdAt());
    }

    @Test
    void parseJson_roundTripsAnEnvelopeBody() throws Exception {
        Envelope e = signed(publishFields());
        assertEquals(e, Envelope.parseJson(e.toJson()));
    }

    @Test
    void payloads_publishAndRegister_areCanonicalAndVerify() throws Exception {
        String p = Payloads.publish(JSON.readTree("{\"b\":[1,2.50,\"é\"],\"a\":null}"), "n-2", NOW, null);
        assertTrue(CanonicalJson.isCanonical(p));
        assertEquals("{\"createdAt\":\"2026-11-22T19:00:00Z\",\"nonce\":\"n-2\",\"record\":{\"a\":null,\"b\":[1,2.5,\"é\"]},\"type\":\"publish\"}", p);
        verifier.verify(EnvelopeSigner.sign(p, KEY), "publish");
        verifier.verify(EnvelopeSigner.sign(Payloads.register(KEY.publicKey(), "n-3", NOW), KEY), "register");
    }

    @Test
    void payloads_refuseNullInputsInsteadOfSigningSomethingTheServerRejects() {
        assertThrows(IllegalArgumentException.class, () -> Payloads.publish(null, "n", NOW, null));
        assertThrows(IllegalArgumentException.class, () -> Payloads.publish(JSON.nullNode(), "n", NOW, null));
        assertThrows(IllegalArgumentException.class, () -> Payloads.publish("r", null, NOW, null));
        assertThrows(IllegalArgumentException.class, () -> Payloads.publish("r", "n", null, null));
        assertThrows(IllegalArgumentException.class, () -> Payloads.register(null, "n", NOW));
    }

    // ---------- every rejection code ----------

    /** One request per code that fails with exactly that code; the test below proves the table is complete. */
    static Map<RejectionCode, Bad> badRequests(EnvelopeVerifier v) {
        Map<RejectionCode, Bad> m = new EnumMap<>(RejectionCode.class);
        Envelope good = signed(publishFields());
        m.put(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson("{\"signedPayload\":"));
        m.put(RejectionCode.MISSING_FIELD, () -> Envelope.parseJson("{\"signedPayload\":\"{}\",\"signature\":\"x\"}"));
        m.put(RejectionCode.WRONG_FIELD_TYPE, () -> Envelope.parseJson("{\"signedPayload\":{},\"signature\":\"x\",\"pubkey\":\"y\"}"));
        m.put(RejectionCode.UNKNOWN_FIELD, () -> Envelope.parseJson(
                "{\"signedPayload\":\"{}\",\"signature\":\"x\",\"pubkey\":\"y\",\"extra\":1}"));
        m.put(RejectionCode.MODE_INVALID, () -> PublishRequest.parseJson(
                "{\"signedPayload\":\"{}\",\"signature\":\"x\",\"pubkey\":\"y\",\"mode\":\"batch\"}"));
        m.put(RejectionCode.PAYLOAD_TOO_LARGE, () -> {
            ObjectNode p = publishFields();
            p.put("pad", "x".repeat(1_000));
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.PAYLOAD_NOT_JSON, () -> v.verify(signedRaw("{\"type\":"), "publish"));
        m.put(RejectionCode.PAYLOAD_NOT_OBJECT, () -> v.verify(signedRaw("[1,2]"), "publish"));
        m.put(RejectionCode.PAYLOAD_NOT_CANONICAL, () -> v.verify(signedRaw(
                "{\"type\":\"publish\", \"record\":1,\"nonce\":\"n\",\"createdAt\":\"" + NOW + "\"}"), "publish"));
        m.put(RejectionCode.SIGNATURE_MALFORMED, () -> v.verify(
                new Envelope(good.signedPayload(), "not base64!", good.pubkey()), "publish"));
        m.put(RejectionCode.SIGNATURE_HIGH_S, () -> {
            byte[] der = Base64.getDecoder().decode(good.signature());
            Secp256k1.Rs rs = Secp256k1.parseDer(der);
            String high = derToBase64(rs.r(), Secp256k1.N.subtract(rs.s()));
            v.verify(new Envelope(good.signedPayload(), high, good.pubkey()), "publish");
        });
        m.put(RejectionCode.SIGNATURE_INVALID, () -> v.verify(
                new Envelope(good.signedPayload(), good.signature(), OTHER.publicKey().hex()), "publish"));
        m.put(RejectionCode.PUBKEY_INVALID, () -> v.verify(
                new Envelope(good.signedPayload(), good.signature(), pubkeyNotOnCurve()), "publish"));
        m.put(RejectionCode.PUBKEY_MISMATCH, () -> v.verify(signed(registerFields(OTHER)), "register"));
        m.put(RejectionCode.TYPE_MISMATCH, () -> v.verify(good, "register"));
        m.put(RejectionCode.NONCE_INVALID, () -> {
            ObjectNode p = publishFields();
            p.put("nonce", "has space");
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.CREATED_AT_INVALID, () -> {
            ObjectNode p = publishFields();
            p.put("createdAt", "2026-11-22 19:00:00");
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.EXPIRED, () -> {
            ObjectNode p = publishFields();
            p.put("createdAt", NOW.minus(Duration.ofMinutes(5)).minusMillis(1).toString());
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.NOT_YET_VALID, () -> {
            ObjectNode p = publishFields();
            p.put("createdAt", NOW.plus(Duration.ofMinutes(5)).plusMillis(1).toString());
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.RECORD_MISSING, () -> {
            ObjectNode p = publishFields();
            p.remove("record");
            v.verify(signed(p), "publish");
        });
        m.put(RejectionCode.RECORD_ID_INVALID, () -> {
            ObjectNode p = publishFields();
            p.put("recordId", "");
            v.verify(signed(p), "publish");
        });
        return m;
    }

    @Test
    void everyRejectionCode_hasARequestThatTriggersIt() {
        assertEquals(EnumSet.allOf(RejectionCode.class), badRequests(verifier).keySet());
    }

    @ParameterizedTest
    @EnumSource(RejectionCode.class)
    void rejection_isReportedWithItsStableCode(RejectionCode code) {
        assertRejected(code, badRequests(verifier).get(code));
        assertEquals(code == RejectionCode.PAYLOAD_TOO_LARGE ? 413 : 400, code.httpStatus());
        assertTrue(!code.description().isBlank());
    }

    // ---------- variants of the same codes ----------

    @Test
    void parseJson_variantsOfMalformedBodies_areRejectedWithTheirCode() {
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson(null));
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson(""));
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson("[]"));
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson("\"str\""));
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson("{} {}"));
        assertRejected(RejectionCode.MALFORMED_JSON, () -> Envelope.parseJson(
                "{\"signedPayload\":\"a\",\"signedPayload\":\"b\",\"signature\":\"x\",\"pubkey\":\"y\"}"));
        assertRejected(RejectionCode.WRONG_FIELD_TYPE, () -> Envelope.parseJson(
                "{\"signedPayload\":\"a\",\"signature\":null,\"pubkey\":\"y\"}"));
        assertRejected(RejectionCode.MISSING_FIELD, () -> Envelope.parseJson("{}"));
    }

    @Test
    void payloadTooLarge_countsUtf8BytesNotCharacters() {
        ObjectNode p = publishFields();
        p.put("pad", "é".repeat(450)); // 450 chars, 900 bytes: over 1,000 bytes in total, under 1,000 chars
        Envelope e = signed(p);
        assertTrue(e.signedPayload().length() < 1_000);
        assertRejected(RejectionCode.PAYLOAD_TOO_LARGE, () -> verifier.verify(e, "publish"));
    }

    @Test
    void payloadWithUnpairedSurrogate_isNotJson() {
        assertRejected(RejectionCode.PAYLOAD_NOT_JSON, () -> verifier.verify(
                new Envelope("{\"a\":\"\uD800\"}", "AA==", KEY.publicKey().hex()), "publish"));
    }

    @Test
    void payloadWithEscapedLoneSurrogate_isNotJson_notNotCanonical() {
        // the payload text is ASCII; the escape decodes to a lone surrogate, which no canonical form can hold
        String escapedHigh = "{\"a\":\"\\ud800\",\"createdAt\":\"2026-11-22T19:00:00Z\",\"nonce\":\"n\",\"record\":1,\"type\":\"publish\"}";
        assertRejected(RejectionCode.PAYLOAD_NOT_JSON, () -> verifier.verify(signedRaw(escapedHigh), "publish"));
        String escapedLowKey = "{\"\\udc00\":1,\"createdAt\":\"2026-11-22T19:00:00Z\",\"nonce\":\"n\",\"record\":[\"x\"],\"type\":\"publish\"}";
        assertRejected(RejectionCode.PAYLOAD_NOT_JSON, () -> verifier.verify(signedRaw(escapedLowKey), "publish"));
        String nested = "{\"createdAt\":\"2026-11-22T19:00:00Z\",\"nonce\":\"n\",\"record\":[{\"b\":\"x\\ud800\"}],\"type\":\"publish\"}";
        assertRejected(RejectionCode.PAYLOAD_NOT_JSON, () -> verifier.verify(signedRaw(nested), "publish"));
    }

    @Test
    void payloadWithPairedSurrogates_isAccepted() throws Exception {
        ObjectNode p = publishFields();
        p.put("emoji", "\uD83D\uDE00");
        assertEquals("publish", verifier.verify(signed(p), "publish").type());
    }

    @Test
    void signature_nonCanonicalBase64OrNonDer_isMalformed() {
        Envelope good = signed(publishFields());
        String unpadded = good.signature().replace("=", "");
        if (!unpadded.equals(good.signature())) {
            assertRejected(RejectionCode.SIGNATURE_MALFORMED, () -> verifier.verify(
                    new Envelope(good.signedPayload(), unpadded, good.pubkey()), "publish"));
        }
        assertRejected(RejectionCode.SIGNATURE_MALFORMED, () -> verifier.verify(
                new Envelope(good.signedPayload(), Base64.getEncoder().encodeToString(new byte[70]), good.pubkey()), "publish"));
        assertRejected(RejectionCode.SIGNATURE_MALFORMED, () -> verifier.verify(
                new Envelope(good.signedPayload(), " " + good.signature(), good.pubkey()), "publish"));
    }

    @Test
    void signature_overADifferentPayload_isInvalid() {
        Envelope good = signed(publishFields());
        ObjectNode other = publishFields();
        other.put("nonce", "nonce-2");
        assertRejected(RejectionCode.SIGNATURE_INVALID, () -> verifier.verify(
                new Envelope(canonical(other), good.signature(), good.pubkey()), "publish"));
    }

    @Test
    void pubkey_upperCaseWrongLengthOrUncompressed_isInvalid() {
        Envelope good = signed(publishFields());
        for (String pk : List.of(good.pubkey().toUpperCase(), good.pubkey().substring(2), "04" + good.pubkey().substring(2), "")) {
            assertRejected(RejectionCode.PUBKEY_INVALID, () -> verifier.verify(
                    new Envelope(good.signedPayload(), good.signature(), pk), "publish"));
        }
    }

    @Test
    void typeMissingOrNotAString_isTypeMismatch() {
        ObjectNode p = publishFields();
        p.remove("type");
        assertRejected(RejectionCode.TYPE_MISMATCH, () -> verifier.verify(signed(p), "publish"));
        p.put("type", 1);
        assertRejected(RejectionCode.TYPE_MISMATCH, () -> verifier.verify(signed(p), "publish"));
    }

    @Test
    void nonce_emptyTooLongOrNotAString_isInvalid_and128CharsIsFine() throws Exception {
        for (Supplier<ObjectNode> bad : List.<Supplier<ObjectNode>>of(
                () -> publishFields().put("nonce", ""),
                () -> publishFields().put("nonce", "a".repeat(129)),
                () -> publishFields().put("nonce", 7),
                () -> { ObjectNode n = publishFields(); n.remove("nonce"); return n; })) {
            assertRejected(RejectionCode.NONCE_INVALID, () -> verifier.verify(signed(bad.get()), "publish"));
        }
        verifier.verify(signed(publishFields().put("nonce", "aZ09._:-".repeat(16))), "publish");
    }

    @Test
    void createdAt_missingWithoutSecondsOrNotAString_isInvalid() {
        for (Supplier<ObjectNode> bad : List.<Supplier<ObjectNode>>of(
                () -> publishFields().put("createdAt", "2026-11-22T19:00Z"),
                () -> publishFields().put("createdAt", "2026-13-22T19:00:00Z"),
                () -> publishFields().put("createdAt", 1763838000),
                () -> { ObjectNode n = publishFields(); n.remove("createdAt"); return n; })) {
            assertRejected(RejectionCode.CREATED_AT_INVALID, () -> verifier.verify(signed(bad.get()), "publish"));
        }
    }

    @Test
    void record_null_isMissing() {
        ObjectNode p = publishFields();
        p.putNull("record");
        assertRejected(RejectionCode.RECORD_MISSING, () -> verifier.verify(signed(p), "publish"));
    }

    @Test
    void recordId_tooLongOrNotAString_isInvalid_and256CharsIsFine() throws Exception {
        assertRejected(RejectionCode.RECORD_ID_INVALID, () -> verifier.verify(signed(publishFields().put("recordId", "r".repeat(257))), "publish"));
        assertRejected(RejectionCode.RECORD_ID_INVALID, () -> verifier.verify(signed(publishFields().put("recordId", 5)), "publish"));
        verifier.verify(signed(publishFields().put("recordId", "r".repeat(256))), "publish");
    }

    @Test
    void checks_runInTheDocumentedOrder() {
        // not canonical AND wrongly signed: the canonical check comes first
        Envelope other = EnvelopeSigner.sign("{}", OTHER);
        assertRejected(RejectionCode.PAYLOAD_NOT_CANONICAL, () -> verifier.verify(
                new Envelope("{ }", other.signature(), KEY.publicKey().hex()), "publish"));
        // bad pubkey AND bad signature: pubkey first
        assertRejected(RejectionCode.PUBKEY_INVALID, () -> verifier.verify(
                new Envelope("{}", "!!", "zz"), "publish"));
        // expired AND bad nonce: nonce first
        ObjectNode p = publishFields();
        p.put("nonce", "");
        p.put("createdAt", "2000-01-01T00:00:00Z");
        assertRejected(RejectionCode.NONCE_INVALID, () -> verifier.verify(signed(p), "publish"));
    }
}
