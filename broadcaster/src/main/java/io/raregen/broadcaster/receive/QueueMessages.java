package io.raregen.broadcaster.receive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Ulid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The queue contract: body {@code {"jobId":"<ULID>"}} for one job, or {@code {"jobIds":["<ULID>",…]}}
 * for several (the intake packs the ids of concurrent publishes into one message). Anything else is poison, and so
 * is a body naming any id that is not a valid {@link JobId}: the ids are parsed here, once, and travel typed from here.
 */
public final class QueueMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More ids than any sender packs (the intake's bound is 500): a body naming more is poison. */
    public static final int MAX_IDS = 1000;
    private static final int MAX_BODY = 64 * 1024;

    private QueueMessages() {
    }

    /** The distinct job ids a body names, in order; empty for a poison message (one naming an invalid id, too). */
    public static Optional<List<JobId>> jobIds(String body) {
        if (body == null || body.length() > MAX_BODY) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject() || n.has("jobId") == n.has("jobIds")) {
                return Optional.empty();
            }
            if (n.has("jobId")) {
                return jobId(n.get("jobId")).map(List::of);
            }
            JsonNode ids = n.get("jobIds");
            if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
                return Optional.empty();
            }
            Set<JobId> out = new LinkedHashSet<>();
            for (JsonNode id : ids) {
                Optional<JobId> parsed = jobId(id);
                if (parsed.isEmpty()) {
                    return Optional.empty();
                }
                out.add(parsed.get());
            }
            return Optional.of(new ArrayList<>(out));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * One id as the sender writes it: a string holding a ULID exactly (upper case, as the intake generates it), else
     * empty. Stricter than {@link JobId#parse}, which would accept lower case: a body is taken as it was sent.
     */
    private static Optional<JobId> jobId(JsonNode id) {
        return id.isTextual() && Ulid.isValid(id.asText()) ? Optional.of(new JobId(id.asText())) : Optional.empty();
    }

    public static String body(JobId jobId) {
        return JSON.createObjectNode().put("jobId", jobId.value()).toString();
    }

    /** The body for several jobs (the singular form for one). */
    public static String body(List<JobId> jobIds) {
        if (jobIds.size() == 1) {
            return body(jobIds.get(0));
        }
        var node = JSON.createObjectNode();
        var array = node.putArray("jobIds");
        jobIds.forEach(id -> array.add(id.value()));
        return node.toString();
    }
}
