package io.raregen.broadcaster.ratelimit;

import io.raregen.core.ratelimit.TokenBucketMath;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket inside one process (WhatsOnChain's 3 req/s, or a single-instance ARC limit); with an
 * {@code arrivalSpread} its burst is {@code capacity - rate × arrivalSpread}, as for {@link PostgresRateLimiter}.
 */
public final class LocalRateLimiter implements RateLimiter {
    private final double burst;
    private final double perSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    /** An exact bucket: capacity per period, bursts of capacity. */
    public LocalRateLimiter(long capacity, Duration period) {
        this(capacity, period, Duration.ZERO, System::nanoTime);
    }

    public LocalRateLimiter(long capacity, Duration period, Duration arrivalSpread) {
        this(capacity, period, arrivalSpread, System::nanoTime);
    }

    LocalRateLimiter(long capacity, Duration period, LongSupplier nanoClock) {
        this(capacity, period, Duration.ZERO, nanoClock);
    }

    LocalRateLimiter(long capacity, Duration period, Duration arrivalSpread, LongSupplier nanoClock) {
        this.perSecond = TokenBucketMath.perSecond(capacity, period);
        this.burst = TokenBucketMath.burst(capacity, period, arrivalSpread);
        this.nanoClock = nanoClock;
        this.tokens = burst;
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
                waitNanos = TokenBucketMath.nanosUntilOneToken(tokens, perSecond);
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
        tokens = Math.min(burst, tokens + Math.max(0, now - last) * perSecond / 1e9);
        last = now;
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return Math.max(0, granted);
    }
}
