package io.raregen.core.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * When to try a failed webhook delivery again: exponential ({@code base × 2^(attempts-1)}, capped) with
 * full jitter (a uniform random delay between zero and that), so receivers coming back from an outage
 * are not hit by every sender at once; and no retry at all once {@code maxAge} has passed since the
 * first attempt (the delivery is then dead, a dead letter the client can replay).
 */
public record Backoff(Duration base, Duration cap, Duration maxAge) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24));

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap and a non-negative max age");
        }
    }

    /** The longest delay before retry number {@code attempts} (attempts made so far, at least 1). */
    public Duration ceiling(int attempts) {
        int n = Math.max(0, attempts - 1);
        long baseMs = base.toMillis();
        long capMs = cap.toMillis();
        long ms = n >= 62 || baseMs > (capMs >> Math.min(n, 62)) ? capMs : Math.min(capMs, baseMs << n);
        return Duration.ofMillis(ms);
    }

    /**
     * When to try again after {@code attempts} failed attempts, the first of which was at
     * {@code firstAttempt}; empty when the delivery should go dead instead.
     *
     * @param random given a bound, returns a value in [0, bound]
     */
    public Optional<Instant> next(int attempts, Instant firstAttempt, Instant now, LongUnaryOperator random) {
        Instant deadline = firstAttempt.plus(maxAge);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        long jittered = random.applyAsLong(ceiling(attempts).toMillis());
        Instant at = now.plusMillis(jittered);
        // The last retry happens at the deadline at the latest, not after it.
        return Optional.of(at.isAfter(deadline) ? deadline : at);
    }

    public Optional<Instant> next(int attempts, Instant firstAttempt, Instant now) {
        return next(attempts, firstAttempt, now,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
