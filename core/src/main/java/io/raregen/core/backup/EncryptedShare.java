package io.raregen.core.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one share the service may keep, sealed on the client: PBKDF2-HMAC-SHA256 derives an AES-256 key
 * from the user's passphrase and AES-GCM seals the share's text, authenticating {@link #aad} (format and
 * public key) so a blob cannot be replayed under another key. The service checks only this shape; it
 * never sees the passphrase or the share. Both the CLI (JDK) and a browser (WebCrypto) can produce it.
 *
 * <pre>{"format":"raregen-backup-share/1","kdf":{"name":"PBKDF2WithHmacSHA256","iterations":600000,"salt":b64(16)},
 *  "cipher":{"name":"AES/GCM/NoPadding","iv":b64(12)},"ciphertext":b64(share text + 16-byte tag)}</pre>
 */
public record EncryptedShare(int iterations, byte[] salt, byte[] iv, byte[] ciphertext) {
    public static final String FORMAT = "raregen-backup-share/1";
    public static final String KDF = "PBKDF2WithHmacSHA256";
    public static final String CIPHER = "AES/GCM/NoPadding";
    public static final int MIN_ITERATIONS = 100_000;
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int SALT_BYTES = 16;
    public static final int IV_BYTES = 12;
    /** GCM tag (16) plus a share text well above the 3-of-5 identity share's 79 characters. */
    public static final int MAX_CIPHERTEXT_BYTES = 1024;
    private static final int TAG_BYTES = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    public EncryptedShare {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("kdf.iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
        }
        if (salt == null || salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("kdf.salt must be " + SALT_BYTES + " bytes");
        }
        if (iv == null || iv.length != IV_BYTES) {
            throw new IllegalArgumentException("cipher.iv must be " + IV_BYTES + " bytes");
        }
        if (ciphertext == null || ciphertext.length <= TAG_BYTES || ciphertext.length > MAX_CIPHERTEXT_BYTES) {
            throw new IllegalArgumentException("ciphertext must be " + (TAG_BYTES + 1) + " to " + MAX_CIPHERTEXT_BYTES + " bytes");
        }
        salt = salt.clone();
        iv = iv.clone();
        ciphertext = ciphertext.clone();
    }

    /** The associated data the cipher authenticates: {@code raregen-backup-share/1|<pubkey hex>}. */
    public static byte[] aad(String pubkeyHex) {
        return (FORMAT + "|" + pubkeyHex).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.putObject("kdf").put("name", KDF).put("iterations", iterations).put("salt", b64(salt));
        n.putObject("cipher").put("name", CIPHER).put("iv", b64(iv));
        n.put("ciphertext", b64(ciphertext));
        return n;
    }

    /** @throws IllegalArgumentException saying which field is wrong */
    public static EncryptedShare fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("share must be a JSON object");
        }
        if (!FORMAT.equals(text(n, "format"))) {
            throw new IllegalArgumentException("share.format must be \"" + FORMAT + "\"");
        }
        JsonNode kdf = n.path("kdf");
        JsonNode cipher = n.path("cipher");
        if (!KDF.equals(text(kdf, "name"))) {
            throw new IllegalArgumentException("share.kdf.name must be \"" + KDF + "\"");
        }
        if (!CIPHER.equals(text(cipher, "name"))) {
            throw new IllegalArgumentException("share.cipher.name must be \"" + CIPHER + "\"");
        }
        JsonNode it = kdf.path("iterations");
        if (!it.isIntegralNumber() || !it.canConvertToInt()) {
            throw new IllegalArgumentException("share.kdf.iterations must be an integer");
        }
        if (n.size() != 4 || kdf.size() != 3 || cipher.size() != 2) {
            throw new IllegalArgumentException("share has unknown fields");
        }
        return new EncryptedShare(it.intValue(), unb64(kdf, "salt"), unb64(cipher, "iv"), unb64(n, "ciphertext"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.textValue() : null;
    }

    private static byte[] unb64(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException(field + " must be a base64 string");
        }
        try {
            byte[] b = Base64.getDecoder().decode(v);
            if (!b64(b).equals(v)) {
                throw new IllegalArgumentException(field + " is not canonical padded base64");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not canonical padded base64");
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
