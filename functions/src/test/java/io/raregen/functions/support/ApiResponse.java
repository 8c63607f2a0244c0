package io.raregen.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A response as a test sees it, independent of the host. */
public record ApiResponse(int status, String contentType, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("response is not JSON: " + body, e);
        }
    }

    /** The problem {@code code}, or null when the body is not a problem. */
    public String code() {
        JsonNode n = json().get("code");
        return n == null ? null : n.asText();
    }

    @Override
    public String toString() {
        return status + " " + contentType + " " + (body == null ? "" : body.length() > 500 ? body.substring(0, 500) : body);
    }
}
