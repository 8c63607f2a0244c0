package io.raregen.broadcaster.hooks;

import io.raregen.core.types.BatchId;

/**
 * Test seams at the pipeline's crash windows. A hook that throws {@link SimulatedCrash} makes the
 * batch stop right there with no clean-up, exactly as if the process had died.
 */
public interface PipelineHooks {
    PipelineHooks NONE = new PipelineHooks() {
    };

    default void afterClaim(BatchId batchId) {
    }

    /** After the batch is reserved and signed, before the transaction that stores it. */
    default void beforeStore(BatchId batchId) {
    }

    default void afterStore(BatchId batchId) {
    }

    default void afterBroadcast(BatchId batchId) {
    }

    /** Thrown by a hook to stop a batch as a crash would. */
    final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }
}
