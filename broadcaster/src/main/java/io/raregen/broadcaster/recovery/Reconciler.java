package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.core.types.JobId;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds jobs queued longer than a threshold that no batch holds — their SQS send failed, the
 * message was lost, or they were handed back — and feeds them to the collector.
 */
public final class Reconciler implements Loop {
    private final PublishJobStore store;
    private final Predicate<Incoming> collector;
    private final Duration after;
    private final Duration interval;
    private final int limit;

    public Reconciler(PublishJobStore store, Predicate<Incoming> collector, Duration after, Duration interval, int limit) {
        this.store = store;
        this.collector = collector;
        this.after = after;
        this.interval = interval;
        this.limit = limit;
    }

    @Override
    public String name() {
        return "reconciler";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() {
        List<JobId> ids = store.queuedWithoutBatch(after, limit);
        int fed = 0;
        for (JobId id : ids) {
            if (!collector.test(Incoming.fromLoop(id))) {
                break;
            }
            fed++;
        }
        return fed;
    }
}
