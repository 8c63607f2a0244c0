package io.raregen.broadcaster.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Last beat of every loop and stage, with the interval it promised; a loop overdue by 3 intervals is unhealthy. */
public final class Heartbeats {
    private final Clock clock;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();
    private final Map<String, Duration> expected = new ConcurrentHashMap<>();

    public Heartbeats() {
        this(Clock.systemUTC());
    }

    public Heartbeats(Clock clock) {
        this.clock = clock;
    }

    public void register(String name, Duration interval) {
        expected.put(name, interval);
        last.putIfAbsent(name, clock.instant());
    }

    public void beat(String name) {
        last.put(name, clock.instant());
    }

    public record Status(String name, Instant lastBeat, long ageMillis, boolean healthy) {
    }

    public Map<String, Status> statuses() {
        Instant now = clock.instant();
        Map<String, Status> out = new LinkedHashMap<>();
        expected.keySet().stream().sorted().forEach(name -> {
            Instant at = last.get(name);
            long age = Duration.between(at, now).toMillis();
            long allowed = Math.max(5_000, expected.get(name).toMillis() * 3);
            out.put(name, new Status(name, at, age, age <= allowed));
        });
        return out;
    }

    public boolean healthy() {
        return statuses().values().stream().allMatch(Status::healthy);
    }
}
