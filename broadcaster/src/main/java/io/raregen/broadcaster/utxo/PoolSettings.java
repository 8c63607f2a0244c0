package io.raregen.broadcaster.utxo;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the UTXO pool ({@code raregen.pool.*}); every default is documented in POOL.md.
 * A plain mutable class so tests can build one with {@code new PoolSettings()}.
 */
@ConfigurationProperties("raregen.pool")
public class PoolSettings {
    /** Inputs at this unconfirmed chain depth or deeper are never handed out (the node refuses 10,000). */
    private int maxChainDepth = 1000;
    /** Most inputs one reservation may take when no single UTXO is large enough. */
    private int maxInputsPerReservation = 1000;
    /** Fee allowance per extra input when a request does not state its own (a 148-byte input at 100 sat/kB). */
    private long extraInputAllowanceSats = 15;
    /** When publish UTXOs cannot cover a large request, a single funding UTXO may pay for it. */
    private boolean fundingFallback = true;
    /**
     * Only requests needing at least this much may fall back to a funding UTXO, so an empty publish pool
     * never burns funding on ordinary records (the replenisher refills it instead).
     */
    private long fundingFallbackMinSats = 1_000;
    /** A dirty UTXO is re-checked only after this long (ARC resolves double spends when one side is mined). */
    private Duration dirtyRecheckMinAge = Duration.ofSeconds(30);
    /** With nothing provable after this long, a dirty UTXO is retired rather than risk a double spend. */
    private Duration dirtyAbandonAfter = Duration.ofHours(24);
    /**
     * Pool depth samples ({@code pool_depth_samples}, one per metrics refresh) are kept this long: a day more
     * than the longest window the functions app's {@code GET /v1/ops/series} serves (7 days).
     */
    private Duration historyRetention = Duration.ofDays(8);

    public int getMaxChainDepth() {
        return maxChainDepth;
    }

    public void setMaxChainDepth(int maxChainDepth) {
        if (maxChainDepth < 1 || maxChainDepth >= 10_000) {
            throw new IllegalArgumentException("raregen.pool.max-chain-depth must be 1..9999");
        }
        this.maxChainDepth = maxChainDepth;
    }

    public int getMaxInputsPerReservation() {
        return maxInputsPerReservation;
    }

    public void setMaxInputsPerReservation(int maxInputsPerReservation) {
        this.maxInputsPerReservation = maxInputsPerReservation;
    }

    public long getExtraInputAllowanceSats() {
        return extraInputAllowanceSats;
    }

    public void setExtraInputAllowanceSats(long extraInputAllowanceSats) {
        this.extraInputAllowanceSats = extraInputAllowanceSats;
    }

    public boolean isFundingFallback() {
        return fundingFallback;
    }

    public void setFundingFallback(boolean fundingFallback) {
        this.fundingFallback = fundingFallback;
    }

    public Duration getDirtyRecheckMinAge() {
        return dirtyRecheckMinAge;
    }

    public void setDirtyRecheckMinAge(Duration dirtyRecheckMinAge) {
        this.dirtyRecheckMinAge = dirtyRecheckMinAge;
    }

    public Duration getDirtyAbandonAfter() {
        return dirtyAbandonAfter;
    }

    public void setDirtyAbandonAfter(Duration dirtyAbandonAfter) {
        this.dirtyAbandonAfter = dirtyAbandonAfter;
    }

    public Duration getHistoryRetention() {
        return historyRetention;
    }

    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    public long getFundingFallbackMinSats() {
        return fundingFallbackMinSats;
    }

    public void setFundingFallbackMinSats(long fundingFallbackMinSats) {
        this.fundingFallbackMinSats = fundingFallbackMinSats;
    }
}
