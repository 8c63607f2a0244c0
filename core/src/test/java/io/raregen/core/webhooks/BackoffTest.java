package io.raregen.core.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void ceiling_doublesFromBase_andIsCapped() {
        Backoff b = Backoff.DEFAULT;
        assertEquals(Duration.ofSeconds(10), b.ceiling(1));
        assertEquals(Duration.ofSeconds(20), b.ceiling(2));
        assertEquals(Duration.ofSeconds(40), b.ceiling(3));
        assertEquals(Duration.ofSeconds(10L << 8), b.ceiling(9));
        assertEquals(Duration.ofHours(1), b.ceiling(10));
        assertEquals(Duration.ofHours(1), b.ceiling(100));
        assertEquals(Duration.ofHours(1), b.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void next_isFullJitter_betweenNowAndCeiling() {
        Backoff b = Backoff.DEFAULT;
        Instant now = T0.plusSeconds(100);
        assertEquals(Optional.of(now), b.next(3, T0, now, bound -> 0));
        assertEquals(Optional.of(now.plusSeconds(40)), b.next(3, T0, now, bound -> bound));
        for (int i = 0; i < 1000; i++) {
            Instant at = b.next(3, T0, now).orElseThrow();
            assertTrue(!at.isBefore(now) && !at.isAfter(now.plusSeconds(40)), at.toString());
        }
    }

    @Test
    void next_givesUpAtMaxAge_andNeverSchedulesPastIt() {
        Backoff b = Backoff.DEFAULT;
        assertEquals(Optional.empty(), b.next(50, T0, T0.plus(Duration.ofHours(24))));
        assertEquals(Optional.empty(), b.next(50, T0, T0.plus(Duration.ofHours(25))));
        Instant late = T0.plus(Duration.ofHours(24)).minusSeconds(5);
        assertEquals(Optional.of(T0.plus(Duration.ofHours(24))), b.next(50, T0, late, bound -> bound));
    }

    @Test
    void invalidSettings_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1)));
    }
}
