package io.raregen.broadcaster.callbacks;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** The {@code arc-callbacks} loop ({@code raregen.broadcaster.callbacks.*}): {@link CallbackApplier} applies the ARC callbacks the functions app stored. */
@ConfigurationProperties("raregen.broadcaster.callbacks")
public class CallbackSettings {
    /** Delay between rounds; a round over an empty table is one indexed query. */
    private Duration interval = Duration.ofSeconds(1);
    /** Pending callbacks taken (and locked) per round. */
    private int batchSize = 500;
    /** How long applied callbacks are kept before the loop deletes them. */
    private Duration retention = Duration.ofDays(7);
    /** How often the loop prunes. */
    private Duration pruneInterval = Duration.ofMinutes(10);
    /** Failed applications of one callback before it is closed as failed. */
    private int maxAttempts = 20;

    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public Duration getPruneInterval() { return pruneInterval; }
    public void setPruneInterval(Duration pruneInterval) { this.pruneInterval = pruneInterval; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
}
