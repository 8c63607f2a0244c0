package io.raregen.core.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.types.PublicKey;

import java.time.Instant;

/** Builds the canonical signed payloads the API accepts. */
public final class Payloads {
    private Payloads() {
    }

    /**
     * {"type":"publish","record":...,"nonce":...,"createdAt":...[,"recordId":...]} in RFC 8785 form.
     *
     * @param recordJsonValue a Jackson JsonNode (or any value Jackson can turn into one)
     */
    public static String publish(Object recordJsonValue, String nonce, Instant createdAt, String recordIdOrNull) {
        if (recordJsonValue == null || (recordJsonValue instanceof JsonNode j && (j.isNull() || j.isMissingNode()))) {
            throw new IllegalArgumentException("record must not be null");
        }
        requireFields(nonce, createdAt);
        ObjectNode n = Envelope.STRICT_JSON.createObjectNode();
        n.put("type", EnvelopeVerifier.TYPE_PUBLISH);
        JsonNode record = recordJsonValue instanceof JsonNode j ? j : Envelope.STRICT_JSON.valueToTree(recordJsonValue);
        n.set("record", record);
        n.put("nonce", nonce);
        n.put("createdAt", createdAt.toString());
        if (recordIdOrNull != null) {
            n.put("recordId", recordIdOrNull);
        }
        return canonical(n);
    }

    /** {"type":"register","pubkey":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String register(PublicKey publicKey, String nonce, Instant createdAt) {
        return canonical(keyed(EnvelopeVerifier.TYPE_REGISTER, publicKey, nonce, createdAt));
    }

    /** {"type":"webhook-register","pubkey":...,"url":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String webhookRegister(PublicKey publicKey, String url, String nonce, Instant createdAt) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        return canonical(keyed(EnvelopeVerifier.TYPE_WEBHOOK_REGISTER, publicKey, nonce, createdAt).put("url", url));
    }

    /** {"type":"webhook-list","pubkey":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String webhookList(PublicKey publicKey, String nonce, Instant createdAt) {
        return canonical(keyed(EnvelopeVerifier.TYPE_WEBHOOK_LIST, publicKey, nonce, createdAt));
    }

    /** {"type":"webhook-delete","pubkey":...,"webhookId":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String webhookDelete(PublicKey publicKey, String webhookId, String nonce, Instant createdAt) {
        return webhookAction(EnvelopeVerifier.TYPE_WEBHOOK_DELETE, publicKey, webhookId, nonce, createdAt);
    }

    /** {"type":"webhook-replay","pubkey":...,"webhookId":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String webhookReplay(PublicKey publicKey, String webhookId, String nonce, Instant createdAt) {
        return webhookAction(EnvelopeVerifier.TYPE_WEBHOOK_REPLAY, publicKey, webhookId, nonce, createdAt);
    }

    private static String webhookAction(String type, PublicKey publicKey, String webhookId, String nonce, Instant createdAt) {
        if (webhookId == null || webhookId.isBlank()) {
            throw new IllegalArgumentException("webhookId is required");
        }
        return canonical(keyed(type, publicKey, nonce, createdAt).put("webhookId", webhookId));
    }

    /** {"type":"backup-share","pubkey":...,"share":{encrypted share},"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String backupShare(PublicKey publicKey, JsonNode encryptedShare, String nonce, Instant createdAt) {
        if (encryptedShare == null || !encryptedShare.isObject()) {
            throw new IllegalArgumentException("the encrypted share object is required");
        }
        ObjectNode n = keyed(EnvelopeVerifier.TYPE_BACKUP_SHARE, publicKey, nonce, createdAt);
        n.set("share", encryptedShare);
        return canonical(n);
    }

    /** {"type":"backup-share-delete","pubkey":...,"nonce":...,"createdAt":...} in RFC 8785 form. */
    public static String backupShareDelete(PublicKey publicKey, String nonce, Instant createdAt) {
        return canonical(keyed(EnvelopeVerifier.TYPE_BACKUP_SHARE_DELETE, publicKey, nonce, createdAt));
    }

    /** The members every request about one key has: type, pubkey, nonce, createdAt (members sort when canonicalised). */
    private static ObjectNode keyed(String type, PublicKey publicKey, String nonce, Instant createdAt) {
        if (publicKey == null) {
            throw new IllegalArgumentException("public key must not be null");
        }
        requireFields(nonce, createdAt);
        ObjectNode n = Envelope.STRICT_JSON.createObjectNode();
        n.put("type", type);
        n.put("pubkey", publicKey.hex());
        n.put("nonce", nonce);
        n.put("createdAt", createdAt.toString());
        return n;
    }

    private static void requireFields(String nonce, Instant createdAt) {
        if (nonce == null || createdAt == null) {
            throw new IllegalArgumentException("nonce and createdAt must not be null");
        }
    }

    private static String canonical(ObjectNode n) {
        try {
            return CanonicalJson.canonicalize(Envelope.STRICT_JSON.writeValueAsString(n));
        } catch (JsonProcessingException | CanonicalJsonException e) {
            throw new IllegalArgumentException("payload cannot be serialised as canonical JSON", e);
        }
    }
}
