package io.raregen.core.envelope;

import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.keys.KeyPair;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input never escapes as an unchecked exception: canonical JSON throws only CanonicalJsonException,
 * envelope parsing and verification only EnvelopeException.
 */
class EnvelopePropertiesTest {
    static final Instant NOW = Instant.parse("2026-11-22T19:00:00Z");
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("5e".repeat(32));
    static final EnvelopeVerifier VERIFIER = new EnvelopeVerifier(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), 10_000);
    static final String VALID_PAYLOAD = Payloads.publish(List.of("x", 1, true), "nonce-p", NOW, "id-1");
    static final String VALID_BODY = EnvelopeSigner.sign(VALID_PAYLOAD, KEY).toJson();

    /** Random text biased towards JSON's alphabet, so the parsers get deep before failing. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "0", "-1",
                "1e999", "1.5E-7", "01", "true", "false", "null", "nul", " ", "\n", "\"a\"", "\"type\"", "\"record\"",
                "\"nonce\"", "\"createdAt\"", "\"2026-11-22T19:00:00Z\"", "\"publish\"", "é", "\u0000", "\uD83D\uDE00",
                "\"signedPayload\"", "\"signature\"", "\"pubkey\"", "9007199254740993", "[[[[[[[[", "]]]]]]");
        return Arbitraries.oneOf(
                tokens.list().ofMaxSize(40).map(l -> String.join("", l)),
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("{}[]\":,\\0123456789.eE+-tfnrul ").ofMaxLength(60));
    }

    /** A valid body or payload with a few random edits (insert, delete, replace). */
    @Provide
    Arbitrary<String> mutatedBody() {
        return mutationsOf(VALID_BODY);
    }

    @Provide
    Arbitrary<String> mutatedPayload() {
        return mutationsOf(VALID_PAYLOAD);
    }

    private static Arbitrary<String> mutationsOf(String base) {
        Arbitrary<Tuple.Tuple3<Integer, Integer, Character>> edit = Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, base.length() - 1),
                Arbitraries.chars().all()).as(Tuple::of);
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            StringBuilder s = new StringBuilder(base);
            for (Tuple.Tuple3<Integer, Integer, Character> e : edits) {
                int at = Math.min(e.get2(), Math.max(0, s.length() - 1));
                switch (e.get1()) {
                    case 0 -> s.insert(at, e.get3().charValue());
                    case 1 -> { if (s.length() > 0) s.deleteCharAt(at); }
                    default -> { if (s.length() > 0) s.setCharAt(at, e.get3()); }
                }
            }
            return s.toString();
        });
    }

    @Property(tries = 1000)
    void canonicalize_onAnyText_throwsOnlyCanonicalJsonException(@ForAll("jsonish") String text) {
        try {
            String c = CanonicalJson.canonicalize(text);
            // whatever it accepts, its output is a fixed point
            assertEquals(c, CanonicalJson.canonicalize(c));
            assertTrue(CanonicalJson.isCanonical(c));
        } catch (CanonicalJsonException expected) {
            // rejected: fine
        }
    }

    @Property(tries = 300)
    void canonicalize_isIdempotentOnGeneratedPayloads(@ForAll("mutatedPayload") String text) {
        try {
            String c = CanonicalJson.canonicalize(text);
            assertEquals(c, CanonicalJson.canonicalize(c));
        } catch (CanonicalJsonException expected) {
            // rejected: fine
        }
    }

    @Property(tries = 1000)
    void parseJson_onAnyText_throwsOnlyEnvelopeException(@ForAll("jsonish") String text) {
        try {
            Envelope.parseJson(text);
        } catch (EnvelopeException expected) {
            // rejected with a code: fine
        }
    }

    @Property(tries = 500)
    void parseJsonAndVerify_onMutatedBodies_throwOnlyEnvelopeException(@ForAll("mutatedBody") String body) {
        try {
            VERIFIER.verify(Envelope.parseJson(body), "publish");
        } catch (EnvelopeException expected) {
            // rejected with a code: fine
        }
    }

    @Property(tries = 300)
    void verify_onRandomStrings_throwsOnlyEnvelopeException(@ForAll("jsonish") String payload,
                                                           @ForAll("jsonish") String signature,
                                                           @ForAll("jsonish") String pubkey) {
        try {
            VERIFIER.verify(new Envelope(payload, signature, pubkey), "publish");
        } catch (EnvelopeException expected) {
            // rejected with a code: fine
        }
    }

    /** Correctly signed but arbitrary payloads get past the signature check and exercise the field checks. */
    @Property(tries = 200)
    void verify_onSignedMutatedPayloads_throwsOnlyEnvelopeException(@ForAll("mutatedPayload") String payload) {
        try {
            VERIFIER.verify(EnvelopeSigner.sign(payload, KEY), "publish");
        } catch (EnvelopeException expected) {
            // rejected with a code: fine
        }
    }

    @Property(tries = 50)
    void verify_signedCanonicalPayloads_areAccepted(@ForAll("nonces") String nonce) throws Exception {
        String payload = Payloads.publish("r", nonce, NOW, null);
        assertEquals(nonce, VERIFIER.verify(EnvelopeSigner.sign(payload, KEY), "publish").nonce());
    }

    @Provide
    Arbitrary<String> nonces() {
        return Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(128);
    }
}
