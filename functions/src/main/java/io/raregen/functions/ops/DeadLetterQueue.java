package io.raregen.functions.ops;

import java.util.OptionalLong;

/** How many messages wait in the publish queue's dead-letter queue. */
public interface DeadLetterQueue {

    /** Approximate visible messages; empty when no dead-letter queue is configured or it cannot be read now. */
    OptionalLong depth();
}
