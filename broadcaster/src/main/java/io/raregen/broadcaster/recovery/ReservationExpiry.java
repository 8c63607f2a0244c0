package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.utxo.UtxoPool;

import java.time.Clock;
import java.time.Duration;

/** Returns expired leases to the pool; the pool keeps any UTXO a stored transaction spends. */
public final class ReservationExpiry implements Loop {
    private final UtxoPool pool;
    private final Duration interval;
    private final Clock clock;

    public ReservationExpiry(UtxoPool pool, Duration interval, Clock clock) {
        this.pool = pool;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "reservation-expiry";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() {
        return pool.releaseExpired(clock.instant());
    }
}
