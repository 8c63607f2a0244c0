package io.raregen.core.envelope;

import io.raregen.core.internal.Hashes;
import io.raregen.core.keys.KeyPair;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Client side of the contract: signs a canonical payload into an envelope (used by the CLI and tests). */
public final class EnvelopeSigner {
    private EnvelopeSigner() {
    }

    /** ECDSA over SHA-256 of the UTF-8 payload bytes; base64 DER signature, lower-case hex pubkey. */
    public static Envelope sign(String canonicalPayloadJson, KeyPair key) {
        byte[] digest = Hashes.sha256(canonicalPayloadJson.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(key.signDigest(digest));
        return new Envelope(canonicalPayloadJson, signature, key.publicKey().hex());
    }
}
