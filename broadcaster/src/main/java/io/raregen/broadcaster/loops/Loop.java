package io.raregen.broadcaster.loops;

import java.time.Duration;

/** A small background task run on a fixed delay; {@link #runOnce()} does one round and says how much it did. */
public interface Loop {
    String name();

    Duration interval();

    /**
     * How often the loop promises to beat its heartbeat (a loop overdue by three of these is unhealthy); by default
     * its interval. A loop whose round may outlast several intervals says so here.
     */
    default Duration heartbeatInterval() {
        return interval();
    }

    /** How long after start the first round runs; by default one interval. */
    default Duration initialDelay() {
        return interval();
    }

    int runOnce() throws Exception;
}
