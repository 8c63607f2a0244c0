package io.raregen.broadcaster.headers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Re-checks recently mined blocks against the header source: a block whose height now holds another
 * hash (or nothing) left the chain. Its jobs go back to sent (audited as a reorg), and each one's
 * status is asked again at once so that the new block's proof — checked like any other — and the
 * receipt upgrade follow; what ARC does not yet report mined the confirmation poller picks up.
 * Counts {@code raregen_reorgs_total} (blocks) and {@code raregen_reorged_jobs_total}.
 */
public final class ReorgWatch implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ReorgWatch.class);

    /** Records a job's transaction as mined again, checked like any other proof (the result applier's). */
    @FunctionalInterface
    public interface MinedRecorder {
        void recordMined(JobId jobId, Txid txid, BroadcastResult result);
    }

    private final HeaderStore store;
    private final BlockHeaderSource source;
    private final InclusionCheck check;
    private final TransactionBroadcaster broadcaster;
    private final MinedRecorder applier;
    private final HeaderSettings settings;
    private final Counter reorgs;
    private final Counter reorgedJobs;

    public ReorgWatch(HeaderStore store, BlockHeaderSource source, InclusionCheck check, TransactionBroadcaster broadcaster,
                      MinedRecorder applier, HeaderSettings settings, MeterRegistry registry) {
        this.store = store;
        this.source = source;
        this.check = check;
        this.broadcaster = broadcaster;
        this.applier = applier;
        this.settings = settings;
        this.reorgs = Counter.builder("raregen.reorgs").description("mined blocks found no longer on the chain").register(registry);
        this.reorgedJobs = Counter.builder("raregen.reorged.jobs").description("jobs moved back from mined to sent by a reorg")
                .register(registry);
    }

    @Override
    public String name() {
        return "reorg-watch";
    }

    @Override
    public Duration interval() {
        return settings.getReorgInterval();
    }

    @Override
    public int runOnce() {
        int moved = 0;
        for (HeaderStore.Stored block : store.takeRecent(settings.getReorgWindow(), settings.getReorgBatch())) {
            Optional<String> now;
            try {
                now = source.hashAtHeight(block.height());
            } catch (IOException | RuntimeException e) {
                LOG.warn("reorg watch: cannot ask {} for height {}: {}", source.describe(), block.height(), e.getMessage());
                continue;
            }
            if (now.isPresent() && now.get().equalsIgnoreCase(block.blockHash())) {
                continue;
            }
            String reason = "reorg: block " + block.blockHash() + " at height " + block.height() + " left the chain ("
                    + now.map(h -> "that height now holds " + h).orElse("the chain no longer reaches that height") + ")";
            List<HeaderStore.Reorged> jobs = store.reorg(block.blockHash(), reason);
            check.forget(block.blockHash());
            reorgs.increment();
            reorgedJobs.increment(jobs.size());
            moved += jobs.size();
            LOG.warn("{}: {} job(s) back to sent; fetching their proofs again", reason, jobs.size());
            for (HeaderStore.Reorged j : jobs) {
                BroadcastResult r = broadcaster.status(j.txid());
                if (r.outcome() == BroadcastResult.Outcome.MINED) {
                    applier.recordMined(j.jobId(), j.txid(), r);
                }
            }
        }
        return moved;
    }
}
