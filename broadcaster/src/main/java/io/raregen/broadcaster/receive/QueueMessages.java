package io.raregen.broadcaster.receive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.types.Ulid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The queue contract: body {@code {"jobId":"<ULID>"}} for one job, or {@code {"jobIds":["<ULID>",…]}}
 * for several (the intake packs the ids of concurrent publishes into one message). Anything else is poison.
 */
public final class QueueMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More ids than any sender packs (the intake's bound is 500): a body naming more is poison. */
    public static final int MAX_IDS = 1000;
    private static final int MAX_BODY = 64 * 1024;

    private QueueMessages() {
    }

    /** The distinct job ids a body names, in order; empty for a poison message. */
    public static Optional<List<String>> jobIds(String body) {
        if (body == null || body.length() > MAX_BODY) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject() || n.has("jobId") == n.has("jobIds")) {
                return Optional.empty();
            }
            if (n.has("jobId")) {
                JsonNode id = n.get("jobId");
                return id.isTextual() && Ulid.isValid(id.asText()) ? Optional.of(List.of(id.asText())) : Optional.empty();
            }
            JsonNode ids = n.get("jobIds");
            if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
                return Optional.empty();
            }
            Set<String> out = new LinkedHashSet<>();
            for (JsonNode id : ids) {
                if (!id.isTextual() || !Ulid.isValid(id.asText())) {
                    return Optional.empty();
                }
                out.add(id.asText());
            }
            return Optional.of(new ArrayList<>(out));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static String body(String jobId) {
        return JSON.createObjectNode().put("jobId", jobId).toString();
    }

    /** The body for several jobs (the singular form for one). */
    public static String body(List<String> jobIds) {
        if (jobIds.size() == 1) {
            return body(jobIds.get(0));
        }
        var node = JSON.createObjectNode();
        var array = node.putArray("jobIds");
        jobIds.forEach(array::add);
        return node.toString();
    }
}
