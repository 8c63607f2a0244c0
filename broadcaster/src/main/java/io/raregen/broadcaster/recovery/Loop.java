package io.raregen.broadcaster.recovery;

import java.time.Duration;

/** A small background task run on a fixed delay; {@link #runOnce()} does one round and says how much it did. */
public interface Loop {
    String name();

    Duration interval();

    int runOnce() throws Exception;
}
