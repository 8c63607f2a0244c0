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
}
