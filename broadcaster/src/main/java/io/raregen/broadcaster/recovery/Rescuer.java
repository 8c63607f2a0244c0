package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.store.SignedJob;
import io.raregen.core.types.JobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The original batch mode's unstick (docs/ARCHITECTURE.md#the-original-system), made safe.
 * Jobs claimed but never signed (their instance stalled or died)
 * go back to queued after {@code processingAfter}; jobs signed but not sent are re-broadcast with
 * their stored bytes after {@code rebroadcastAfter}. A signed job is never re-queued or re-signed.
 */
public final class Rescuer implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(Rescuer.class);

    /** Sends stored transactions again, with their stored bytes (the pipeline's sender). */
    @FunctionalInterface
    public interface Resender {
        /** {@code stampedAtNanos}: when the jobs' sending stamp was written (the sender re-stamps only later chunks). */
        void resend(List<SignedJob> jobs, long stampedAtNanos) throws InterruptedException;
    }

    private final PublishJobStore store;
    private final Resender sender;
    private final Predicate<Incoming> collector;
    private final Duration processingAfter;
    private final Duration rebroadcastAfter;
    private final Duration interval;
    private final int limit;
    private final byte[] poolScript;

    public Rescuer(PublishJobStore store, Resender sender, Predicate<Incoming> collector, Duration processingAfter,
                   Duration rebroadcastAfter, Duration interval, int limit, byte[] poolScript) {
        this.store = store;
        this.sender = sender;
        this.collector = collector;
        this.processingAfter = processingAfter;
        this.rebroadcastAfter = rebroadcastAfter;
        this.interval = interval;
        this.limit = limit;
        this.poolScript = poolScript.clone();
    }

    @Override
    public String name() {
        return "rescuer";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() throws InterruptedException {
        List<JobId> requeued = store.requeueStuckProcessing(processingAfter);
        if (!requeued.isEmpty()) {
            LOG.warn("{} jobs stuck in processing without a signed transaction went back to queued", requeued.size());
            requeued.forEach(id -> collector.test(Incoming.fromLoop(id)));
        }
        int closed = store.closeSentBatches(rebroadcastAfter);
        if (closed > 0) {
            LOG.debug("{} batches whose jobs were all sent one by one (or settled otherwise) are closed", closed);
        }
        long stamped = System.nanoTime(); // the query stamps what it takes
        List<SignedJob> unsent = store.takeSignedForRebroadcast(rebroadcastAfter, limit, poolScript);
        if (!unsent.isEmpty()) {
            LOG.warn("re-broadcasting {} signed but unsent transactions with their stored bytes", unsent.size());
            sender.resend(unsent, stamped);
        }
        return requeued.size() + unsent.size();
    }
}
