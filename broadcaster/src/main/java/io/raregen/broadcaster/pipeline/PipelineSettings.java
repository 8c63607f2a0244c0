package io.raregen.broadcaster.pipeline;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.raregen.broadcaster.store.PublishJobStore;

import java.time.Duration;

/**
 * The drain ({@code raregen.broadcaster.*}): receiving, batching, reserving, signing and sending, as
 * {@link PublishPipeline} puts them together.
 */
@ConfigurationProperties("raregen.broadcaster")
public class PipelineSettings {
    /** Names this instance in publish_batches.instance_id and UTXO leases; default: host name + random suffix. */
    private String instanceId;
    /** SQS long-poll loops. */
    private int receivers = 2;
    /** {@code WaitTimeSeconds} of one receive. */
    private int receiveWaitSeconds = 20;
    /** {@code MaxNumberOfMessages} of one receive. */
    private int receiveMaxMessages = 10;
    /** A batch closes at this size ... */
    private int maxBatchSize = 500;
    /** ... or this long after its first job ... */
    private Duration window = Duration.ofSeconds(5);
    /** ... or after this long with no new job. */
    private Duration linger = Duration.ofMillis(50);
    /** Under backlog (a batch filled up) top batches up with queued jobs straight from Postgres. */
    private boolean backlogClaim = true;
    /**
     * A claim's transaction idle longer than this (its holder stalled between claim and store) is ended by Postgres
     * ({@code idle_in_transaction_session_timeout}): rolled back, its jobs free for other claims.
     */
    private Duration claimIdleLimit = PublishJobStore.DEFAULT_CLAIM_IDLE_LIMIT;
    /** UTXO lease for a job not yet signed. */
    private Duration reservationLease = Duration.ofMinutes(5);
    /** Signing parallelism: the machine's cores. */
    private int signThreads = Runtime.getRuntime().availableProcessors();
    /** Batches prepared (signed and stored) but not yet broadcast; bounds memory. */
    private int maxPreparedBatches = 2;
    /**
     * Batches prepared (reserved, signed, stored) side by side. 1 keeps one prepare stage; 2 lets the
     * database work of one batch (reserve, store) overlap the signing of the next.
     */
    private int prepareThreads = 1;
    /** Re-sign attempts (claims) after a conflict or a retryable rejection before the job fails. */
    private int maxAttempts = 5;
    /** In-line re-checks of an unknown or in-flight outcome before leaving it to the rescuer. */
    private int resolveAttempts = 4;
    /** Delay before the first in-line re-check; doubles each time. */
    private Duration resolveInitialBackoff = Duration.ofMillis(250);
    /** Graceful stop: one deadline for stopping the receivers and finishing the batches in hand. */
    private Duration shutdownGrace = Duration.ofSeconds(20);
    /** Pool updates (inputs spent, change added) run side by side so their commits share WAL flushes. */
    private int poolUpdateThreads = 8;

    public String getInstanceId() { return instanceId; }
    public void setInstanceId(String instanceId) { this.instanceId = instanceId; }
    public int getReceivers() { return receivers; }
    public void setReceivers(int receivers) { this.receivers = receivers; }
    public int getReceiveWaitSeconds() { return receiveWaitSeconds; }
    public void setReceiveWaitSeconds(int receiveWaitSeconds) { this.receiveWaitSeconds = receiveWaitSeconds; }
    public int getReceiveMaxMessages() { return receiveMaxMessages; }
    public void setReceiveMaxMessages(int receiveMaxMessages) { this.receiveMaxMessages = receiveMaxMessages; }
    public int getMaxBatchSize() { return maxBatchSize; }
    public void setMaxBatchSize(int maxBatchSize) { this.maxBatchSize = maxBatchSize; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
    public Duration getLinger() { return linger; }
    public void setLinger(Duration linger) { this.linger = linger; }
    public boolean isBacklogClaim() { return backlogClaim; }
    public void setBacklogClaim(boolean backlogClaim) { this.backlogClaim = backlogClaim; }
    public Duration getClaimIdleLimit() { return claimIdleLimit; }
    public void setClaimIdleLimit(Duration claimIdleLimit) { this.claimIdleLimit = claimIdleLimit; }
    public Duration getReservationLease() { return reservationLease; }
    public void setReservationLease(Duration reservationLease) { this.reservationLease = reservationLease; }
    public int getSignThreads() { return signThreads; }
    public void setSignThreads(int signThreads) { this.signThreads = signThreads; }
    public int getMaxPreparedBatches() { return maxPreparedBatches; }
    public void setMaxPreparedBatches(int maxPreparedBatches) { this.maxPreparedBatches = maxPreparedBatches; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public int getResolveAttempts() { return resolveAttempts; }
    public void setResolveAttempts(int resolveAttempts) { this.resolveAttempts = resolveAttempts; }
    public Duration getResolveInitialBackoff() { return resolveInitialBackoff; }
    public void setResolveInitialBackoff(Duration resolveInitialBackoff) { this.resolveInitialBackoff = resolveInitialBackoff; }
    public int getPrepareThreads() { return prepareThreads; }
    public void setPrepareThreads(int prepareThreads) { this.prepareThreads = prepareThreads; }
    public int getPoolUpdateThreads() { return poolUpdateThreads; }
    public void setPoolUpdateThreads(int poolUpdateThreads) { this.poolUpdateThreads = poolUpdateThreads; }
    public Duration getShutdownGrace() { return shutdownGrace; }
    public void setShutdownGrace(Duration shutdownGrace) { this.shutdownGrace = shutdownGrace; }
}
