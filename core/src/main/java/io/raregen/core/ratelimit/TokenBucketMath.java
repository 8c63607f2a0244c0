package io.raregen.core.ratelimit;

/**
 * Token bucket arithmetic shared by the broadcaster's buckets (in-process and one Postgres row) and the intake's
 * per-identity publish quota, whose refill runs in SQL with the same formula: level = min(capacity, tokens + elapsed
 * × rate).
 */
public final class TokenBucketMath {
    private TokenBucketMath() {
    }

    /** Tokens after {@code elapsedNanos} of refilling at capacity per period, capped at capacity. */
    public static double refill(double tokens, long elapsedNanos, long capacity, long periodNanos) {
        double added = (double) Math.max(0, elapsedNanos) * capacity / periodNanos;
        return Math.min(capacity, tokens + added);
    }

    /** How long until one whole token is there, given the current (fractional) level; at least 1 ms. */
    public static long nanosUntilOneToken(double tokens, long capacity, long periodNanos) {
        return nanosUntilOneToken(tokens, capacity * 1e9 / periodNanos);
    }

    /** How long until one whole token is there at {@code perSecond} tokens a second; at least 1 ms. */
    public static long nanosUntilOneToken(double tokens, double perSecond) {
        double missing = Math.max(0, 1.0 - tokens);
        return Math.max(1_000_000L, (long) Math.ceil(missing * 1e9 / perSecond));
    }

    /** The refill rate of a bucket of {@code capacity} per {@code period}, in tokens a second. */
    public static double perSecond(long capacity, java.time.Duration period) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("capacity >= 1 and a positive period required");
        }
        return capacity * 1e9 / period.toNanos();
    }

    /**
     * The most a bucket of {@code capacity} per {@code period} may hold when every grant may reach the network up to
     * {@code spread} after it was taken: {@code capacity - rate × spread}, so that takes in any span w + spread stay
     * within capacity + rate × w. Refuses a spread that leaves less than one token.
     */
    public static double burst(long capacity, java.time.Duration period, java.time.Duration spread) {
        double rate = perSecond(capacity, period);
        if (spread.isNegative()) {
            throw new IllegalArgumentException("a negative arrival spread");
        }
        double burst = capacity - rate * spread.toNanos() / 1e9;
        if (burst < 1) {
            throw new IllegalArgumentException("an arrival spread of " + spread + " leaves no burst in a bucket of "
                    + capacity + " per " + period + ": it must be shorter than the period");
        }
        return burst;
    }
}
