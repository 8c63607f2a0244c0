package io.raregen.broadcaster.replenish;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Replenisher and consolidation settings ({@code raregen.replenisher.*}). Defaults are scaled for a local
 * run; the production values (the original batch mode's) are in POOL.md (min-pool-size 50,000, split-batch-size 100,000,
 * alert-threshold 10,000).
 */
@ConfigurationProperties("raregen.replenisher")
public class ReplenisherSettings {
    private boolean enabled = true;
    /** How often the publish pool's depth is compared with {@link #minPoolSize}. */
    private Duration interval = Duration.ofSeconds(30);
    /** Below this many usable publish UTXOs (available + in-flight split outputs) a split starts. */
    private int minPoolSize = 2_000;
    /** Outputs created per replenishment round. */
    private int splitBatchSize = 5_000;
    /** Value of each publish UTXO, in satoshis. */
    private long denominationSats = 100;
    /** Most outputs in one split transaction (5,000 x 34 B = 170 kB); larger rounds chain several. */
    private int maxOutputsPerTx = 5_000;
    /** Depth below which the low-pool alert condition holds (10,000 in production, POOL.md). */
    private int alertThreshold = 1_000;
    /** Consolidation of small change back into funding, on a schedule; off by default. */
    private boolean consolidationEnabled = false;
    /** Publish UTXOs below this value are consolidation candidates. */
    private long consolidationBelowSats = 5;
    /** Do not consolidate fewer inputs than this (not worth a transaction). */
    private int consolidationMinInputs = 100;
    private int consolidationMaxInputs = 2_000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public int getMinPoolSize() {
        return minPoolSize;
    }

    public void setMinPoolSize(int minPoolSize) {
        this.minPoolSize = minPoolSize;
    }

    public int getSplitBatchSize() {
        return splitBatchSize;
    }

    public void setSplitBatchSize(int splitBatchSize) {
        this.splitBatchSize = splitBatchSize;
    }

    public long getDenominationSats() {
        return denominationSats;
    }

    public void setDenominationSats(long denominationSats) {
        if (denominationSats < 1) {
            throw new IllegalArgumentException("raregen.replenisher.denomination-sats must be >= 1 (dust limit)");
        }
        this.denominationSats = denominationSats;
    }

    public int getMaxOutputsPerTx() {
        return maxOutputsPerTx;
    }

    public void setMaxOutputsPerTx(int maxOutputsPerTx) {
        this.maxOutputsPerTx = maxOutputsPerTx;
    }

    public int getAlertThreshold() {
        return alertThreshold;
    }

    public void setAlertThreshold(int alertThreshold) {
        this.alertThreshold = alertThreshold;
    }

    public boolean isConsolidationEnabled() {
        return consolidationEnabled;
    }

    public void setConsolidationEnabled(boolean consolidationEnabled) {
        this.consolidationEnabled = consolidationEnabled;
    }

    public long getConsolidationBelowSats() {
        return consolidationBelowSats;
    }

    public void setConsolidationBelowSats(long consolidationBelowSats) {
        this.consolidationBelowSats = consolidationBelowSats;
    }

    public int getConsolidationMinInputs() {
        return consolidationMinInputs;
    }

    public void setConsolidationMinInputs(int consolidationMinInputs) {
        this.consolidationMinInputs = consolidationMinInputs;
    }

    public int getConsolidationMaxInputs() {
        return consolidationMaxInputs;
    }

    public void setConsolidationMaxInputs(int consolidationMaxInputs) {
        this.consolidationMaxInputs = consolidationMaxInputs;
    }
}
