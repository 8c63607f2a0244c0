package io.raregen.broadcaster.ratelimit;

import io.raregen.core.ratelimit.TokenBucketMath;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A token bucket inside one process (WhatsOnChain's 3 req/s, or a single-instance ARC limit). */
public final class LocalRateLimiter implements RateLimiter {
    private final long capacity;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public LocalRateLimiter(long capacity, Duration period) {
        this(capacity, period, System::nanoTime);
    }

    LocalRateLimiter(long capacity, Duration period, LongSupplier nanoClock) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("capacity >= 1 and a positive period required");
        }
        this.capacity = capacity;
        this.periodNanos = period.toNanos();
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    @Override
    public int acquire(int wanted) throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                int granted = takeLocked(wanted);
                if (granted > 0) {
                    return granted;
                }
                waitNanos = TokenBucketMath.nanosUntilOneToken(tokens, capacity, periodNanos);
            }
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    @Override
    public synchronized int tryAcquire(int wanted) {
        return takeLocked(wanted);
    }

    private int takeLocked(int wanted) {
        long now = nanoClock.getAsLong();
        tokens = TokenBucketMath.refill(tokens, now - last, capacity, periodNanos);
        last = now;
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return Math.max(0, granted);
    }
}
