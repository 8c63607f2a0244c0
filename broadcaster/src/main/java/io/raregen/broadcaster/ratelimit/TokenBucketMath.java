package io.raregen.broadcaster.ratelimit;

/** Refill arithmetic shared by the in-process and the Postgres bucket. */
final class TokenBucketMath {
    private TokenBucketMath() {
    }

    /** Tokens after {@code elapsedNanos} of refilling at capacity per period, capped at capacity. */
    static double refill(double tokens, long elapsedNanos, long capacity, long periodNanos) {
        double added = (double) Math.max(0, elapsedNanos) * capacity / periodNanos;
        return Math.min(capacity, tokens + added);
    }

    /** How long until one whole token is there, given the current (fractional) level. */
    static long nanosUntilOneToken(double tokens, long capacity, long periodNanos) {
        double missing = Math.max(0, 1.0 - tokens);
        return Math.max(1_000_000L, (long) Math.ceil(missing * periodNanos / capacity));
    }
}
