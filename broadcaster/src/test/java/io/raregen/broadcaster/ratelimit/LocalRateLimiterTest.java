package io.raregen.broadcaster.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void arrivalSpread_lowersTheBurst_notTheRate_soTakesInAnySpanPlusTheSpreadStayWithinTheLimit() {
        AtomicLong now = new AtomicLong(0);
        // 500 per 3 s with 1 s of spread: bursts of 500 - 166.7 = 333, refill still 166.7/s
        LocalRateLimiter l = new LocalRateLimiter(500, Duration.ofSeconds(3), Duration.ofSeconds(1), now::get);
        assertEquals(333, l.tryAcquire(600), "the burst leaves room for one spread of refill");
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertEquals(50, l.tryAcquire(100), "the rate is capacity per period");
        long taken = 333 + 50;
        for (int i = 0; i < 37; i++) { // 3.7 s more in 100 ms steps: 4 s in all
            now.addAndGet(Duration.ofMillis(100).toNanos());
            taken += l.tryAcquire(1000);
        }
        // takes within a 3 s window widened by the 1 s spread (4 s) stay within capacity + rate x 3 s
        assertTrue(taken <= 500 + 500, taken + " taken in 4 s");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertEquals(333, l.tryAcquire(10_000), "refill is capped at the burst");
    }

    @Test
    void arrivalSpread_asLongAsThePeriod_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LocalRateLimiter(100, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
