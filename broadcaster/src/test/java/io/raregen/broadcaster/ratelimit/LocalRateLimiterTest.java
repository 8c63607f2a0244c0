package io.raregen.broadcaster.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalRateLimiterTest {

    @Test
    void bucket_startsFull_thenRefillsInProportionToElapsedTime() {
        AtomicLong now = new AtomicLong(0);
        LocalRateLimiter l = new LocalRateLimiter(500, Duration.ofSeconds(3), now::get);
        assertEquals(500, l.tryAcquire(600), "a full bucket grants its capacity, not more");
        assertEquals(0, l.tryAcquire(1));
        now.addAndGet(Duration.ofMillis(300).toNanos()); // 300 ms of 3 s refills 50 tokens
        assertEquals(50, l.tryAcquire(100));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertEquals(500, l.tryAcquire(10_000), "refill is capped at capacity");
    }

    @Test
    void tryAcquire_justBelowOneToken_grantsNothing() {
        AtomicLong now = new AtomicLong(0);
        LocalRateLimiter l = new LocalRateLimiter(1, Duration.ofSeconds(1), now::get);
        assertEquals(1, l.tryAcquire(1));
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertEquals(0, l.tryAcquire(1));
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(1, l.tryAcquire(1));
    }
}
