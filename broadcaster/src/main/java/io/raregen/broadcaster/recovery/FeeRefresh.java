package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.fees.ArcFeePolicy;

import java.time.Duration;

/** Re-reads ARC's policy; a failure keeps the last good rate (or the configured fallback). */
public final class FeeRefresh implements Loop {
    private final ArcFeePolicy policy;
    private final Duration interval;

    public FeeRefresh(ArcFeePolicy policy, Duration interval) {
        this.policy = policy;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "fee-refresh";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() {
        return policy.refresh() ? 1 : 0;
    }
}
