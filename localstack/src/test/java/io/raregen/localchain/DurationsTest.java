package io.raregen.localchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void parse_acceptsUnitsAndBareSeconds() {
        assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(500), Durations.parse("0.5s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1H"));
        assertEquals(Duration.ofSeconds(5), Durations.parse("5"));
        assertEquals(Duration.ofMillis(2500), Durations.parse(" 2.5 "));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void parse_rejectsGarbage_withAMessageNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("--block-interval", "5x"));
        assertTrue(e.getMessage().startsWith("--block-interval: not a duration: '5x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("NaN"));
    }
}
