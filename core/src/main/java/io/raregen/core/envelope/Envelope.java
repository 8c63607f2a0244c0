package io.raregen.core.envelope;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The client request {signedPayload, signature, pubkey}, holding the strings exactly as received. */
public record Envelope(String signedPayload, String signature, String pubkey) {
    static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Set<String> FIELDS = Set.of("signedPayload", "signature", "pubkey");

    public Envelope {
        if (signedPayload == null || signature == null || pubkey == null) {
            throw new IllegalArgumentException("envelope fields must not be null");
        }
    }

    /** Parses the request body; the three fields must be strings and nothing else may be present. */
    public static Envelope parseJson(String body) throws EnvelopeException {
        return fromObject(readObject(body), Set.of());
    }

    /** The body as a JSON object (strict: no duplicate keys, no trailing data). */
    static ObjectNode readObject(String body) throws EnvelopeException {
        if (body == null) {
            throw new EnvelopeException(RejectionCode.MALFORMED_JSON, "request body is empty");
        }
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(body);
        } catch (Exception | StackOverflowError e) {
            throw new EnvelopeException(RejectionCode.MALFORMED_JSON, "request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new EnvelopeException(RejectionCode.MALFORMED_JSON, "request body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * The envelope of a parsed body. Besides the three fields only the names in {@code serviceOptions} may be
     * present (they are the caller's to read: options of the service, not part of the signed record).
     */
    static Envelope fromObject(ObjectNode obj, Set<String> serviceOptions) throws EnvelopeException {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name) && !serviceOptions.contains(name)) {
                throw new EnvelopeException(RejectionCode.UNKNOWN_FIELD, "unknown field: " + truncate(name));
            }
        }
        return new Envelope(text(obj, "signedPayload"), text(obj, "signature"), text(obj, "pubkey"));
    }

    private static String text(ObjectNode obj, String field) throws EnvelopeException {
        JsonNode n = obj.get(field);
        if (n == null) {
            throw new EnvelopeException(RejectionCode.MISSING_FIELD, "missing field: " + field);
        }
        if (!n.isTextual()) {
            throw new EnvelopeException(RejectionCode.WRONG_FIELD_TYPE, field + " must be a string");
        }
        return n.textValue();
    }

    static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The envelope as a JSON object (field order signedPayload, signature, pubkey). */
    public String toJson() {
        ObjectNode n = STRICT_JSON.createObjectNode();
        n.put("signedPayload", signedPayload);
        n.put("signature", signature);
        n.put("pubkey", pubkey);
        try {
            return STRICT_JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
