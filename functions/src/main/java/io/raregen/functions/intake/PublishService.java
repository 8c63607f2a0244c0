package io.raregen.functions.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.types.JobId;
import io.raregen.functions.accounts.AccountService;
import io.raregen.functions.accounts.AccountStore;
import io.raregen.functions.accounts.Session;
import io.micronaut.core.annotation.Nullable;
import io.raregen.functions.queue.JobQueue;
import io.raregen.functions.queue.QueueConfiguration;
import io.raregen.functions.receipts.AcceptanceReceipt;
import io.raregen.functions.receipts.ReceiptService;
import io.raregen.functions.receipts.ReceiptSigner;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.RateLimitedException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Accepts a publish request: verify, store the job (the commit point), then wake the broadcaster.
 * A failed or slow queue send does not fail the request: the job row is durable and the
 * broadcaster's reconciler picks up queued jobs that no batch claimed within its threshold. So a
 * long-running host answers without waiting for the send ({@code raregen.queue.await-send: false});
 * a Lambda waits for it.
 */
@Singleton
public class PublishService {

    private static final Logger LOG = LoggerFactory.getLogger(PublishService.class);

    private final EnvelopeReader reader;
    private final JobStore jobs;
    private final JobQueue queue;
    private final QueueConfiguration queueConfig;
    private final ReceiptSigner receipts;
    private final ReceiptService storedReceipts;
    private final Counter accepted;
    private final Counter replayed;
    private final Counter enqueueFailures;
    private final Counter rateLimited;
    private final Counter creditsExhausted;

    private final AccountService accounts;
    private final AccountStore owners;

    public PublishService(EnvelopeReader reader, JobStore jobs, JobQueue queue, QueueConfiguration queueConfig,
                          ReceiptSigner receipts, ReceiptService storedReceipts, MeterRegistry meters,
                          AccountService accounts, AccountStore owners) {
        this.accounts = accounts;
        this.owners = owners;
        this.reader = reader;
        this.receipts = receipts;
        this.storedReceipts = storedReceipts;
        this.jobs = jobs;
        this.queue = queue;
        this.queueConfig = queueConfig;
        this.accepted = meters.counter("raregen.intake.accepted");
        this.replayed = meters.counter("raregen.intake.replayed");
        this.enqueueFailures = meters.counter("raregen.intake.enqueue.failures");
        this.rateLimited = meters.counter("raregen.intake.rate.limited");
        this.creditsExhausted = meters.counter("raregen.intake.credits.exhausted");
    }

    /**
     * With a session ({@code Authorization: Bearer rgs_…}) the signing key must be one of the session's account;
     * without one the key's signature alone authorises the publish, as it always has.
     */
    public PublishOutcome publish(String body, @Nullable String authorization) {
        Optional<Session> session = AccountService.carriesSession(authorization)
                ? Optional.of(accounts.requireSession(authorization)) : Optional.empty();
        EnvelopeReader.Publish request = reader.readPublish(body);
        VerifiedEnvelope envelope = request.envelope();
        if (session.isPresent() && !session.get().accountId().equals(owners.owner(envelope.publicKey()).orElse(null))) {
            throw new ApiException(ErrorCode.IDENTITY_OTHER_ACCOUNT,
                    "public key " + envelope.publicKey().hex() + " is not a key of the signed-in account");
        }
        AcceptedBody acceptedBody = AcceptedBody.of(body);
        JobStore.Insertion insertion = jobs.insert(JobId.generate(), envelope, acceptedBody, request.mode());
        if (insertion instanceof JobStore.Insertion.Created created) {
            accepted.increment();
            if (request.mode() == PublishMode.RECORD) {
                // an anchor-mode job needs no wake-up: the anchoring window reads queued anchor jobs from Postgres,
                // and a message would only cost the record path an empty claim
                enqueue(created.jobId());
            }
            return new PublishOutcome(created.jobId(), "queued", request.mode(), true,
                    receipts.sign(created.jobId(), acceptedBody.sha256(), created.createdAt()));
        }
        if (insertion instanceof JobStore.Insertion.Existing existing) {
            if (!existing.samePayload()) {
                throw new ApiException(ErrorCode.NONCE_REUSED,
                        "nonce " + envelope.nonce() + " was already used by this key for a different payload");
            }
            replayed.increment();
            // the receipt of the first acceptance: same job, same envelope hash and time
            return new PublishOutcome(existing.jobId(), existing.status(), existing.mode(), false,
                    storedReceipts.acceptance(existing.jobId()).orElse(null));
        }
        if (insertion instanceof JobStore.Insertion.RateLimited limited) {
            rateLimited.increment();
            long seconds = (limited.retryAfterNanos() + 999_999_999L) / 1_000_000_000L;
            throw new RateLimitedException("public key " + envelope.publicKey().hex()
                    + " has used its publish quota (its account's, when it belongs to one); retry after " + seconds + " s", seconds);
        }
        if (insertion instanceof JobStore.Insertion.CreditsExhausted) {
            creditsExhausted.increment();
            throw new ApiException(ErrorCode.CREDITS_EXHAUSTED, "the account of public key " + envelope.publicKey().hex()
                    + " has no credits left; top up or ask the operator for a grant");
        }
        if (insertion instanceof JobStore.Insertion.RevokedIdentity) {
            throw new ApiException(ErrorCode.IDENTITY_REVOKED, "public key " + envelope.publicKey().hex() + " has been revoked");
        }
        throw new ApiException(ErrorCode.IDENTITY_UNKNOWN,
                "public key " + envelope.publicKey().hex() + " is not registered; POST /v1/identities first");
    }

    private void enqueue(JobId jobId) {
        CompletableFuture<Void> sent = queue.enqueue(jobId);
        if (!queueConfig.awaitSend() && queue.unsent() <= queueConfig.maxUnsent()) {
            // a long-running host: the job is durable, so answer now and let the sender deliver the id behind us
            sent.whenComplete((ok, failure) -> {
                if (failure != null) {
                    notEnqueued(jobId, failure);
                }
            });
            return;
        }
        // wait for the send: on Lambda nothing may stay in flight after the response (and past max-unsent,
        // waiting is the back-pressure)
        try {
            sent.get(queueConfig.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            notEnqueued(jobId, e.getCause());
        } catch (TimeoutException e) {
            notEnqueued(jobId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            enqueueFailures.increment();
        }
    }

    private void notEnqueued(JobId jobId, Throwable cause) {
        enqueueFailures.increment();
        LOG.warn("job {} stored but not enqueued ({}); the reconciler will deliver it", jobId, String.valueOf(cause));
    }

    /**
     * The job a request maps to and its mode (a retry's is the first acceptance's); {@code created} is false for an
     * idempotent retry. {@code receipt} is the
     * signed acceptance (null only for a retry of a job stored before receipts existed).
     */
    public record PublishOutcome(JobId jobId, String status, PublishMode mode, boolean created, AcceptanceReceipt receipt) {
    }
}
