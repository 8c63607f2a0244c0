package io.raregen.core.receipt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.internal.Hex;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.types.JobId;

import java.time.Instant;
import java.util.Objects;

/**
 * What the service signs when it accepts an envelope: the job, the SHA-256 of the exact request
 * body, the acceptance time and which service (and key) says so. {@link #TYPE} separates these
 * signatures from any other the same key could make.
 */
public record AcceptanceStatement(JobId jobId, String envelopeSha256, Instant acceptedAt, String serviceName, String keyId) {

    public static final String TYPE = "raregen-acceptance/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public AcceptanceStatement {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(keyId, "keyId");
        if (!Hex.isLowerHex(envelopeSha256, 64)) {
            throw new IllegalArgumentException("envelopeSha256 must be 64 lower-case hex characters");
        }
    }

    /** The statement as a JSON object (field order is irrelevant: signatures cover its RFC 8785 form). */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", TYPE);
        n.put("jobId", jobId.value());
        n.put("envelopeSha256", envelopeSha256);
        n.put("acceptedAt", acceptedAt.toString());
        ObjectNode service = n.putObject("service");
        service.put("name", serviceName);
        service.put("keyId", keyId);
        return n;
    }

    /** The RFC 8785 canonical text whose UTF-8 bytes' SHA-256 the service key signs. */
    public String canonicalJson() {
        try {
            return CanonicalJson.canonicalize(toJson().toString());
        } catch (CanonicalJsonException e) {
            throw new IllegalStateException("a statement built here is always JSON", e);
        }
    }
}
