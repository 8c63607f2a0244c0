package io.raregen.core.envelope;

import io.raregen.core.internal.Hex;
import io.raregen.core.types.PublicKey;

import java.time.Instant;
import java.util.Optional;

/** An envelope whose signature, freshness and payload shape have been checked. */
public record VerifiedEnvelope(Envelope envelope, PublicKey publicKey, String type, String nonce, Instant createdAt,
                               Optional<String> recordId, byte[] payloadHash) {
    public VerifiedEnvelope {
        if (envelope == null || publicKey == null || type == null || nonce == null || createdAt == null
                || recordId == null || payloadHash == null || payloadHash.length != 32) {
            throw new IllegalArgumentException("verified envelope needs every field and a 32-byte payload hash");
        }
        payloadHash = payloadHash.clone();
    }

    /** SHA-256 of the UTF-8 bytes of signedPayload. */
    @Override
    public byte[] payloadHash() {
        return payloadHash.clone();
    }

    public String payloadHashHex() {
        return Hex.encode(payloadHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedEnvelope v && envelope.equals(v.envelope) && type.equals(v.type)
                && nonce.equals(v.nonce) && createdAt.equals(v.createdAt) && recordId.equals(v.recordId);
    }

    @Override
    public int hashCode() {
        return envelope.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedEnvelope[type=" + type + ", pubkey=" + publicKey.hex() + ", nonce=" + nonce
                + ", createdAt=" + createdAt + ", recordId=" + recordId.orElse(null) + ", payloadHash=" + payloadHashHex() + "]";
    }
}
