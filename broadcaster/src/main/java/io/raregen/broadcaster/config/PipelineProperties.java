package io.raregen.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Receiving, batching, reserving and signing ({@code raregen.broadcaster.*}); defaults in broadcaster/README.md. */
@ConfigurationProperties("raregen.broadcaster")
public class PipelineProperties {
    /** Names this instance in publish_batches.instance_id and UTXO leases; default: host name + random suffix. */
    private String instanceId;
    private int receivers = 2;
    private int receiveWaitSeconds = 20;
    private int receiveMaxMessages = 10;
    private int maxBatchSize = 500;
    private Duration window = Duration.ofSeconds(5);
    private Duration linger = Duration.ofMillis(50);
    /** Under backlog (a batch filled up) top batches up with queued jobs straight from Postgres. */
    private boolean backlogClaim = true;
    private Duration reservationLease = Duration.ofMinutes(5);
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
    private Duration resolveInitialBackoff = Duration.ofMillis(250);
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
