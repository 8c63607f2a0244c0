package io.raregen.broadcaster.anchor;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The anchoring window ({@code raregen.anchor.*}): how anchor-mode jobs are gathered into one tree and one
 * transaction, and how unfinished anchor transactions are resent and followed to their block.
 */
@ConfigurationProperties("raregen.anchor")
public class AnchorSettings {
    /** Off: anchor-mode jobs stay queued (intake still accepts them). */
    private boolean enabled = true;
    /** How long a window gathers jobs: one anchor transaction per window that has any. */
    private Duration window = Duration.ofSeconds(1);
    /** Most records in one tree; a fuller backlog is anchored by the next windows. */
    private int maxRecords = 100_000;
    /** A stored anchor transaction with no answer from the network this long after its last send is sent again. */
    private Duration rebroadcastAfter = Duration.ofSeconds(30);
    /** How often sent anchor transactions are asked about, and how old they must be to be asked. */
    private Duration confirmationInterval = Duration.ofSeconds(30);
    private Duration confirmationMinAge = Duration.ofSeconds(10);
    /** Batches the recovery loop handles per round. */
    private int recoveryLimit = 50;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
    public int getMaxRecords() { return maxRecords; }
    public void setMaxRecords(int maxRecords) { this.maxRecords = maxRecords; }
    public Duration getRebroadcastAfter() { return rebroadcastAfter; }
    public void setRebroadcastAfter(Duration rebroadcastAfter) { this.rebroadcastAfter = rebroadcastAfter; }
    public Duration getConfirmationInterval() { return confirmationInterval; }
    public void setConfirmationInterval(Duration confirmationInterval) { this.confirmationInterval = confirmationInterval; }
    public Duration getConfirmationMinAge() { return confirmationMinAge; }
    public void setConfirmationMinAge(Duration confirmationMinAge) { this.confirmationMinAge = confirmationMinAge; }
    public int getRecoveryLimit() { return recoveryLimit; }
    public void setRecoveryLimit(int recoveryLimit) { this.recoveryLimit = recoveryLimit; }
}
