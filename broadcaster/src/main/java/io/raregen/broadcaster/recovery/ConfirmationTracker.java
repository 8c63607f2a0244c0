package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.store.PublishJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Asks the network about sent transactions (least recently checked first) and records the block
 * of those that were mined: job → mined with block hash, height and merkle path; pool depth reset.
 */
public final class ConfirmationTracker implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationTracker.class);

    private final PublishJobStore store;
    private final TransactionBroadcaster broadcaster;
    private final ResultApplier applier;
    private final Duration minAge;
    private final Duration interval;
    private final int limit;

    public ConfirmationTracker(PublishJobStore store, TransactionBroadcaster broadcaster, ResultApplier applier,
                               Duration minAge, Duration interval, int limit) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.applier = applier;
        this.minAge = minAge;
        this.interval = interval;
        this.limit = limit;
    }

    @Override
    public String name() {
        return "confirmations";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() {
        int mined = 0;
        for (PublishJobStore.Unconfirmed u : store.takeUnconfirmed(minAge, limit)) {
            BroadcastResult r = broadcaster.status(u.txid());
            switch (r.outcome()) {
                case MINED -> {
                    // a path that does not check against the independent header leaves the job sent
                    if (applier.recordMined(u.jobId(), u.txid(), r).verified()) {
                        mined++;
                    }
                }
                case REJECTED, CONFLICT ->
                    // a sent transaction displaced later needs a human: re-signing could double-publish
                        LOG.error("sent transaction {} of job {} is now {} ({}); needs an operator", u.txid(), u.jobId(),
                                r.networkStatus(), r.detail());
                default -> {
                }
            }
        }
        return mined;
    }
}
