package io.raregen.functions.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;

import java.nio.charset.StandardCharsets;

/** The small JSON objects the account endpoints take: one object, string or number members, unknown ones ignored. */
final class JsonFields {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode root;

    private JsonFields(JsonNode root) {
        this.root = root;
    }

    static JsonFields of(@Nullable byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body must be a JSON object");
        }
        return new JsonFields(root);
    }

    /** The member as a string; null when absent or null; BAD_REQUEST when it is not a string. */
    @Nullable
    String text(String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be a string");
        }
        return n.asText();
    }

    /** The member as a whole number; null when absent; {@code invalid} when it is anything else. */
    @Nullable
    Long whole(String name, ErrorCode invalid, String detail) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ApiException(invalid, detail);
        }
        return n.asLong();
    }
}
