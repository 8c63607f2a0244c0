package io.raregen.core.anchor;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.internal.Hashes;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What an anchor tree commits to for one record: the record digest, SHA-256 of the envelope's canonical bytes.
 * The canonical bytes are the UTF-8 of the RFC 8785 form of {@code {"pubkey","signature","signedPayload"}} with
 * the three strings exactly as the client sent them — the same JSON canonicalisation the signed payload itself
 * uses. It covers the payload, the signature and the key (so the anchor dates the signature, not only the text),
 * and does not depend on how the request body was laid out: anyone holding the three strings can recompute it.
 */
public final class RecordLeaf {
    private RecordLeaf() {
    }

    /**
     * @throws IllegalArgumentException if a field is not well-formed UTF-16 (an unpaired surrogate), which
     *                                  no canonical form can carry
     */
    public static byte[] canonicalEnvelope(Envelope e) {
        requireWellFormed(e.signedPayload(), "signedPayload");
        requireWellFormed(e.signature(), "signature");
        requireWellFormed(e.pubkey(), "pubkey");
        try {
            return CanonicalJson.canonicalize(e.toJson()).getBytes(StandardCharsets.UTF_8);
        } catch (CanonicalJsonException ex) {
            throw new IllegalArgumentException("envelope cannot be canonicalised", ex);
        }
    }

    /** SHA-256 of {@link #canonicalEnvelope}: the leaf bytes of the record's tree leaf. */
    public static AnchorHash digest(Envelope e) {
        return AnchorHash.of(Hashes.sha256(canonicalEnvelope(e)));
    }

    /** The record's leaf hash, {@code SHA-256(0x00 ‖ digest)}. */
    public static AnchorHash leafHash(Envelope e) {
        return AnchorHashing.leaf(digest(e));
    }

    private static void requireWellFormed(String s, String field) {
        try {
            StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException ex) {
            throw new IllegalArgumentException(field + " is not encodable as UTF-8");
        }
    }
}
