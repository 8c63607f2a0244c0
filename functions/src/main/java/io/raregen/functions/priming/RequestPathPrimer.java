package io.raregen.functions.priming;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.crac.OrderedResource;
import io.micronaut.http.HttpMethod;
import io.micronaut.json.JsonMapper;
import io.micronaut.web.router.Router;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.JobId;
import io.raregen.functions.intake.AcceptedBody;
import io.raregen.functions.intake.EnvelopeReader;
import io.raregen.functions.intake.PublishController;
import io.raregen.functions.receipts.AcceptanceReceipt;
import io.raregen.functions.receipts.ReceiptSigner;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.core.http.Problem;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * SnapStart priming: before the snapshot, runs what a publish request does that needs no outside system,
 * so the first request after a restore does not pay for loading and linking those classes. It routes a
 * {@code POST /v1/publish}, parses, canonicality-checks and verifies a freshly signed envelope (secp256k1,
 * RFC 8785), builds a job id, and serialises the 202 body and a problem body. It never opens a database
 * connection or an SQS client: those are closed around the checkpoint anyway (Hikari by micronaut-crac,
 * the queue by {@code QueueCracResource}), and a snapshot must not hold a socket.
 */
@Singleton
@Requires(classes = OrderedResource.class)
public class RequestPathPrimer implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPathPrimer.class);

    /** A key used only here: the envelope it signs is verified, never stored or sent. */
    static final String PRIMING_KEY_HEX = "bab15425e97bff95e2fa2226441b0cbbeb4f5b5d89f01f6105bf5bbc27874a2b";

    private final Router router;
    private final EnvelopeReader reader;
    private final JsonMapper json;
    private final ReceiptSigner receipts;

    public RequestPathPrimer(Router router, EnvelopeReader reader, JsonMapper json, ReceiptSigner receipts) {
        this.router = router;
        this.reader = reader;
        this.json = json;
        this.receipts = receipts;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        try {
            Primed primed = prime();
            LOG.info("primed the publish path before the snapshot in {} ms: {}", (System.nanoTime() - start) / 1_000_000, primed);
        } catch (RuntimeException e) {
            // priming only saves time: a snapshot without it still serves every request correctly
            LOG.warn("priming before the snapshot failed; the first request after a restore pays the class loading", e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to undo: priming holds no resource
    }

    @Override
    public int getOrder() {
        // first: it must run while every bean is still usable
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** One pass over the request path; throws if any step does not give what a real request would. */
    public Primed prime() {
        if (router.find(HttpMethod.POST, "/v1/publish", null).findFirst().isEmpty()) {
            throw new IllegalStateException("no route for POST /v1/publish");
        }
        KeyPair key = KeyPair.fromPrivateKeyHex(PRIMING_KEY_HEX);
        String payload = Payloads.publish(Map.of("primed", true, "n", 1), "priming-" + System.nanoTime(), Instant.now(), null);
        String body = EnvelopeSigner.sign(payload, key).toJson();
        VerifiedEnvelope verified = reader.readPublish(body).envelope();
        JobId jobId = JobId.generate();
        try {
            // the 202 carries a signed receipt: sign one too (a local key operation, no external system)
            AcceptanceReceipt receipt = receipts.sign(jobId, AcceptedBody.of(body).sha256(), Instant.now());
            int accepted = json.writeValueAsBytes(new PublishController.PublishResponse(jobId.value(), "queued", "record",
                    "/v1/jobs/" + jobId.value(), receipt)).length;
            int rejected;
            try {
                reader.read(body.replace(verified.nonce(), "tampered"), EnvelopeVerifier.TYPE_PUBLISH);
                throw new IllegalStateException("a tampered envelope verified");
            } catch (ApiException e) {
                rejected = json.writeValueAsBytes(new Problem("urn:raregen:problem:" + e.code(), e.title(), e.status(),
                        e.getMessage(), e.code(), "/v1/publish")).length;
            }
            return new Primed(verified.publicKey().hex(), accepted, rejected);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "priming could not serialise a response", e);
        }
    }

    /** What one priming pass did: the key it verified and the sizes of the two bodies it wrote. */
    public record Primed(String verifiedKey, int acceptedBodyBytes, int problemBodyBytes) {
    }
}
