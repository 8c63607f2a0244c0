package io.raregen.core.anchor;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.internal.Hashes;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.keys.KeyPair;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordLeafTest {
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("2e".repeat(32));
    static final Envelope E = EnvelopeSigner.sign("{\"createdAt\":\"2026-11-22T19:00:00Z\",\"nonce\":\"x\",\"record\":{\"a\":\"\\\"é\\n\"},\"type\":\"publish\"}", KEY);

    @Example
    void theLeafBytesAreSha256OfTheCanonicalEnvelope_andTheLeafHashPrefixesThemWith00() throws Exception {
        byte[] canonical = RecordLeaf.canonicalEnvelope(E);
        String text = new String(canonical, StandardCharsets.UTF_8);
        assertTrue(CanonicalJson.isCanonical(text));
        assertEquals(E, Envelope.parseJson(text));
        assertTrue(text.startsWith("{\"pubkey\":\"" + E.pubkey() + "\",\"signature\":\""), text);
        assertEquals(AnchorHash.of(Hashes.sha256(canonical)), RecordLeaf.digest(E));
        assertEquals(AnchorHashing.leaf(RecordLeaf.digest(E)), RecordLeaf.leafHash(E));
    }

    /** The digest depends on the three strings only, never on how the request body was laid out. */
    @Example
    void theDigest_doesNotDependOnTheBodyLayout() throws Exception {
        String spaced = "{ \"signature\" : \"" + E.signature() + "\",\n  \"pubkey\": \"" + E.pubkey()
                + "\", \"signedPayload\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(E.signedPayload()) + " }";
        Envelope fromSpaced = Envelope.parseJson(spaced);
        assertEquals(RecordLeaf.digest(E), RecordLeaf.digest(fromSpaced));
        String escaped = spaced.replace("é", "\\u00e9");
        assertEquals(RecordLeaf.digest(E), RecordLeaf.digest(Envelope.parseJson(escaped)));
    }

    @Property(tries = 100)
    void anyChangeToPayloadSignatureOrKey_changesTheDigest(
            @ForAll @AlphaChars @NumericChars @Chars({'"', '\\', '\n', 'é', '☕', '{', '}', ':'}) String payload) {
        Envelope e = EnvelopeSigner.sign(payload.isEmpty() ? "{}" : payload, KEY);
        AnchorHash d = RecordLeaf.digest(e);
        byte[] sig = Base64.getDecoder().decode(e.signature());
        sig[sig.length - 1] ^= 1;
        assertNotEquals(d, RecordLeaf.digest(new Envelope(e.signedPayload(), Base64.getEncoder().encodeToString(sig), e.pubkey())));
        assertNotEquals(d, RecordLeaf.digest(new Envelope(e.signedPayload() + " ", e.signature(), e.pubkey())));
        String otherKey = KeyPair.fromPrivateKeyHex("3d".repeat(32)).publicKey().hex();
        assertNotEquals(d, RecordLeaf.digest(new Envelope(e.signedPayload(), e.signature(), otherKey)));
        // the fields are delimited: moving characters from one field to the next changes the digest
        assertNotEquals(d, RecordLeaf.digest(new Envelope(e.signedPayload(), e.signature() + e.pubkey().charAt(0), e.pubkey().substring(1))));
    }

    @Example
    void anUnpairedSurrogate_cannotBeALeaf() {
        assertThrows(IllegalArgumentException.class, () -> RecordLeaf.digest(new Envelope("{\"a\":\"\uD800\"}", E.signature(), E.pubkey())));
    }
}
