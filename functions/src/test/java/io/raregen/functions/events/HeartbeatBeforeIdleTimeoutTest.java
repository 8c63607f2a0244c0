package io.raregen.functions.events;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream quiet for the server's idle timeout is cut mid-response (the browser logs
 * ERR_INCOMPLETE_CHUNKED_ENCODING and reconnects): the heartbeat must come first, and a setting that cannot is
 * refused at start.
 */
class HeartbeatBeforeIdleTimeoutTest {

    private static EventStreamConfiguration heartbeat(Duration heartbeat) {
        return new EventStreamConfiguration(Duration.ofSeconds(30), Duration.ofSeconds(1), heartbeat, Duration.ofSeconds(1),
                false, 500);
    }

    @Test
    void aHeartbeatNotShorterThanTheIdleTimeout_isRefused_namingBothSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventStreamController(null, heartbeat(Duration.ofSeconds(15)), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("raregen.events.heartbeat") && e.getMessage().contains("micronaut.server.idle-timeout"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EventStreamController(null, heartbeat(Duration.ofSeconds(10)), Duration.ofSeconds(10)));
    }

    @Test
    void theDefaultHeartbeat_comesBeforeTheServersIdleTimeout() throws Exception {
        // the heartbeat's default as declared for Micronaut's binding, against the idle timeout application.yml sets
        var heartbeatParameter = EventStreamConfiguration.class.getDeclaredConstructor(Duration.class, Duration.class,
                Duration.class, Duration.class, boolean.class, int.class).getParameters()[2];
        var bindable = heartbeatParameter.getAnnotation(io.micronaut.core.bind.annotation.Bindable.class);
        assertTrue(bindable != null, "the heartbeat parameter carries its default");
        Duration heartbeat = Duration.parse("PT" + bindable.defaultValue().toUpperCase());
        String yml;
        try (var in = getClass().getResourceAsStream("/application.yml")) {
            yml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var m = java.util.regex.Pattern.compile("(?m)^\\s+idle-timeout:\\s*(\\d+)s\\s*$").matcher(yml);
        assertTrue(m.find(), "application.yml sets micronaut.server.idle-timeout in seconds");
        Duration idle = Duration.ofSeconds(Long.parseLong(m.group(1)));
        assertTrue(heartbeat.compareTo(idle) < 0, heartbeat + " < " + idle);
        assertDoesNotThrow(() -> new EventStreamController(null, heartbeat(heartbeat), idle));
    }
}
