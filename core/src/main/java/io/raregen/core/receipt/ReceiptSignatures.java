package io.raregen.core.receipt;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Secp256k1;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.PublicKey;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Service receipt signatures: ECDSA secp256k1 (RFC 6979, low S) over SHA-256 of the UTF-8 bytes
 * of the statement's RFC 8785 canonical form, DER in standard base64 — the scheme clients already
 * use for envelopes, with the service's receipt key.
 */
public final class ReceiptSignatures {
    private ReceiptSignatures() {
    }

    /** The key id published with a receipt key: the first 16 hex characters of SHA-256 of the compressed key. */
    public static String keyId(PublicKey key) {
        return Hex.encode(Arrays.copyOf(Hashes.sha256(key.compressed()), 8));
    }

    public static String sign(AcceptanceStatement statement, KeyPair key) {
        if (!statement.keyId().equals(keyId(key.publicKey()))) {
            throw new IllegalArgumentException("statement names key " + statement.keyId() + ", signing with " + keyId(key.publicKey()));
        }
        byte[] digest = Hashes.sha256(statement.canonicalJson().getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(key.signDigest(digest));
    }

    /**
     * Checks a signature over any JSON statement text (canonicalised here, so whitespace and key
     * order of the stored receipt do not matter, but every value does).
     *
     * @return null when valid, else why not
     */
    public static String verify(String statementJson, String signatureBase64, PublicKey key) {
        String canonical;
        try {
            canonical = CanonicalJson.canonicalize(statementJson);
        } catch (CanonicalJsonException e) {
            return "the statement is not JSON";
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signatureBase64 == null ? "" : signatureBase64);
        } catch (IllegalArgumentException e) {
            return "the signature is not base64";
        }
        Secp256k1.Rs rs = Secp256k1.parseDer(der);
        if (rs == null) {
            return "the signature is not a strict DER ECDSA signature";
        }
        if (!rs.isLowS()) {
            return "the signature is not low-S";
        }
        byte[] digest = Hashes.sha256(canonical.getBytes(StandardCharsets.UTF_8));
        return Secp256k1.verify(digest, rs, Secp256k1.decodeCompressed(key.compressed()))
                ? null : "the signature does not verify with key " + key.hex();
    }
}
