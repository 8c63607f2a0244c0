package io.raregen.broadcaster.webhooks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.raregen.core.webhooks.Backoff;

import java.time.Duration;

/** Webhook fan-out and delivery ({@code raregen.webhooks.*}); see docs/WEBHOOKS.md. */
@ConfigurationProperties("raregen.webhooks")
public class WebhookSettings {
    /** Whether this broadcaster fans out and delivers webhooks at all. */
    private boolean enabled = true;
    /** Delay between rounds of the fan-out, and a worker's sleep when nothing is due. */
    private Duration pollInterval = Duration.ofSeconds(1);
    /** Deliveries in flight at once (one worker thread each): a receiver that hangs holds one of them. */
    private int workers = 8;
    /** Delivery workers that go on while the drain is saturated (a backlog); the others wait for it to end. */
    private int workersWhileDraining = 1;
    /** Deliveries a worker claims in one transaction and sends side by side. */
    private int claimBatch = 16;
    /** Deliveries of one webhook in flight at once in this broadcaster: a hanging receiver holds no more workers. */
    private int maxInFlightPerWebhook = 2;
    /** Connect and request timeout of one delivery. */
    private Duration timeout = Duration.ofSeconds(10);
    /** A delivery not delivered this long after its first attempt goes dead (a dead letter). */
    private Duration maxAge = Duration.ofHours(24);
    /** First retry delay ceiling; doubles per attempt up to {@link #backoffCap}, with full jitter. */
    private Duration backoffBase = Duration.ofSeconds(10);
    private Duration backoffCap = Duration.ofHours(1);
    /** Events read per fan-out round. */
    private int fanoutBatch = 500;
    /** Local mode only: plain http to loopback receivers. */
    private boolean allowLoopbackHttp = false;

    public Backoff backoff() {
        return new Backoff(backoffBase, backoffCap, maxAge);
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public int getWorkers() { return workers; }
    public void setWorkers(int workers) { this.workers = workers; }
    public int getWorkersWhileDraining() { return workersWhileDraining; }
    public void setWorkersWhileDraining(int workersWhileDraining) { this.workersWhileDraining = workersWhileDraining; }
    public int getClaimBatch() { return claimBatch; }
    public void setClaimBatch(int claimBatch) { this.claimBatch = claimBatch; }
    public int getMaxInFlightPerWebhook() { return maxInFlightPerWebhook; }
    public void setMaxInFlightPerWebhook(int maxInFlightPerWebhook) { this.maxInFlightPerWebhook = maxInFlightPerWebhook; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getMaxAge() { return maxAge; }
    public void setMaxAge(Duration maxAge) { this.maxAge = maxAge; }
    public Duration getBackoffBase() { return backoffBase; }
    public void setBackoffBase(Duration backoffBase) { this.backoffBase = backoffBase; }
    public Duration getBackoffCap() { return backoffCap; }
    public void setBackoffCap(Duration backoffCap) { this.backoffCap = backoffCap; }
    public int getFanoutBatch() { return fanoutBatch; }
    public void setFanoutBatch(int fanoutBatch) { this.fanoutBatch = fanoutBatch; }
    public boolean isAllowLoopbackHttp() { return allowLoopbackHttp; }
    public void setAllowLoopbackHttp(boolean allowLoopbackHttp) { this.allowLoopbackHttp = allowLoopbackHttp; }
}
