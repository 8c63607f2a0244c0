package io.raregen.cli.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Nonces;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;

import java.time.Clock;

/** Canonicalises a record into a publish payload, signs it with the identity key and submits it. */
public final class Publisher {

    /** The API's 202 answer. */
    public record Accepted(String jobId, String status, Envelope envelope) {
    }

    private final ApiClient client;
    private final KeyPair key;
    private final Clock clock;

    public Publisher(ApiClient client, KeyPair key, Clock clock) {
        this.client = client;
        this.key = key;
        this.clock = clock;
    }

    public Accepted publish(JsonNode record, String recordId) throws ApiException {
        return publish(record, recordId, PublishMode.RECORD);
    }

    /** Publishes in {@code mode}: a transaction of its own, or a leaf of the next anchor batch. */
    public Accepted publish(JsonNode record, String recordId, PublishMode mode) throws ApiException {
        String payload = Payloads.publish(record, Nonces.next(), clock.instant(), recordId);
        Envelope e = EnvelopeSigner.sign(payload, key);
        ApiClient.Response r = client.publish(e, mode);
        String jobId = Json.text(r.body(), "jobId");
        if (jobId == null) {
            throw new ApiException(r.status(), "BAD_RESPONSE", "the API accepted the record but returned no jobId: " + r.body(), r.body());
        }
        String status = Json.text(r.body(), "status");
        return new Accepted(jobId, status == null ? "queued" : status, e);
    }
}
