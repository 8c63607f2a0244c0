package io.raregen.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackOptionsTest {

    @Test
    void blockInterval_takesTheDurationsTheLocalChainTakes() {
        assertEquals(Duration.ofSeconds(5), LocalStackOptions.parse(new String[] {"--block-interval", "5s"}).blockInterval());
        assertEquals(Duration.ofMillis(500), LocalStackOptions.parse(new String[] {"--block-interval=500ms"}).blockInterval());
        assertEquals(Duration.ofMinutes(1), LocalStackOptions.parse(new String[] {"--block-interval", "1m"}).blockInterval());
    }

    @Test
    void blockInterval_stillTakesABareNumberOfSeconds() {
        assertEquals(Duration.ofSeconds(2), LocalStackOptions.parse(new String[] {"--block-interval", "2"}).blockInterval());
        assertEquals(Duration.ofMillis(1500), LocalStackOptions.parse(new String[] {"--block-interval", "1.5"}).blockInterval());
        assertEquals(Duration.ofSeconds(5), LocalStackOptions.parse(new String[0]).blockInterval());
    }

    @Test
    void blockInterval_garbage_isAnErrorNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalStackOptions.parse(new String[] {"--block-interval", "five"}));
        assertTrue(e.getMessage().contains("--block-interval"), e.getMessage());
    }

    @Test
    void stateDir_theLastOneGiven_wins() {
        // ./raregen local passes --state-dir $RAREGEN_STATE_DIR before the user's own flags
        LocalStackOptions o = LocalStackOptions.parse(new String[] {"--state-dir", "/tmp/from-env", "--state-dir", "/tmp/explicit"});
        assertEquals(java.nio.file.Path.of("/tmp/explicit"), o.stateDir());
        assertEquals(o.repo().resolve(".raregen-local"), LocalStackOptions.parse(new String[0]).stateDir());
    }

    @Test
    void doorPorts_oneByDefault_alistOrNone() {
        assertEquals(java.util.List.of(9091), LocalStackOptions.parse(new String[0]).doorPorts());
        assertEquals(java.util.List.of(7001, 0), LocalStackOptions.parse(new String[] {"--door-ports", "7001,0"}).doorPorts());
        assertEquals(java.util.List.of(), LocalStackOptions.parse(new String[] {"--door-ports=none"}).doorPorts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalStackOptions.parse(new String[] {"--door-ports", "1,2,3"}));
        assertTrue(e.getMessage().contains("at most two"), e.getMessage());
    }
}
