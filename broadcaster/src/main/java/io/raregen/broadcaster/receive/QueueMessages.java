package io.raregen.broadcaster.receive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.types.Ulid;

import java.util.Optional;

/** The queue contract: body {@code {"jobId":"<ULID>"}}, nothing else. */
public final class QueueMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueMessages() {
    }

    /** The job id, or empty for a poison message (not JSON, no jobId, not a ULID). */
    public static Optional<String> jobId(String body) {
        if (body == null || body.length() > 1024) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject() || !n.path("jobId").isTextual()) {
                return Optional.empty();
            }
            String id = n.get("jobId").asText();
            return Ulid.isValid(id) ? Optional.of(id) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static String body(String jobId) {
        return JSON.createObjectNode().put("jobId", jobId).toString();
    }
}
