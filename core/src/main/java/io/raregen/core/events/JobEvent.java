package io.raregen.core.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.types.JobId;
import io.raregen.core.types.PublicKey;
import io.raregen.core.types.Txid;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One status change of a job that its client is told about, by webhook and by the event stream: the job
 * was sent (its transaction accepted by the network), mined, failed, or reorged (its block left the
 * chain and it is back to sent). Built from a row of the job event log ({@link JobEventLog}).
 *
 * @param previousStatus the status before, null only for rows that have none
 * @param txid           the job's transaction, null when it has none (a failure before signing)
 * @param reason         why, when the writer said so (a reorg's reason, a failure's error code)
 */
public record JobEvent(EventId id, JobId jobId, PublicKey publicKey, String status, String previousStatus,
                       Txid txid, String reason, Instant at) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JobEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    /** {@code job.sent}, {@code job.mined}, {@code job.failed} or {@code job.reorged}. */
    public String type() {
        if ("sent".equals(status) && "mined".equals(previousStatus)) {
            return "job.reorged";
        }
        return "job." + status;
    }

    /**
     * The event as clients receive it: one JSON object, the same bytes in a webhook body and in an SSE
     * {@code data:} line. Keys in a fixed order; absent values are left out.
     */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id.toString());
        o.put("type", type());
        o.put("jobId", jobId.value());
        o.put("publicKey", publicKey.hex());
        o.put("status", status);
        if (previousStatus != null) {
            o.put("previousStatus", previousStatus);
        }
        if (txid != null) {
            o.put("txid", txid.hex());
        }
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("at", at.toString());
        o.put("statusUrl", "/v1/jobs/" + jobId.value());
        return o.toString();
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
