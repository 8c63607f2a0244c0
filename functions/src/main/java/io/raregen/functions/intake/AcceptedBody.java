package io.raregen.functions.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A publish request body exactly as accepted, and its SHA-256: what the acceptance receipt signs
 * and what the upgraded receipt hands back so the hash can be checked offline. JSON bodies are
 * UTF-8 (RFC 8259), so the text and its UTF-8 bytes are the same request.
 */
public record AcceptedBody(String text, String sha256) {

    public static AcceptedBody of(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return new AcceptedBody(body, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
