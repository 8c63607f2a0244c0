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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-checks recently mined blocks against the header source: a block whose height now holds another
 * hash (or nothing) left the chain. Its jobs go back to sent (audited as a reorg), and each one's
 * status is asked again at once so that the new block's proof — checked like any other — and the
 * receipt upgrade follow. A job with no answer yet (not mined again, ARC or the new block's header not
 * reachable) is asked again in later rounds, {@value #ASK_PER_ROUND} a round, while its reorg is younger than
 * {@code reorg-window}: the new block's ARC callback may have come before the job left the old block, and the
 * confirmation poller waits long with callbacks on. A proof that does not match its header is an answer (the
 * check counts and logs it; the job stays sent). After the window, or a restart, the poller's fallback takes it.
 * Counts {@code raregen_reorgs_total} (blocks) and {@code raregen_reorged_jobs_total}.
 */
public final class ReorgWatch implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ReorgWatch.class);

    /** Records a job's transaction as mined again, checked like any other proof (the result applier's). */
    @FunctionalInterface
    public interface MinedRecorder {
        InclusionCheck.Verdict recordMined(JobId jobId, Txid txid, BroadcastResult result);
    }

    /** At most this many reorged jobs are remembered for another ask; the poller takes the rest. */
    static final int MAX_AWAITING = 10_000;
    /** At most this many of them are asked again per round (status calls to ARC), oldest first, in turn. */
    static final int ASK_PER_ROUND = 500;

    private record Awaiting(Txid txid, Instant since) {
    }

    private final HeaderStore store;
    private final BlockHeaderSource source;
    private final InclusionCheck check;
    private final TransactionBroadcaster broadcaster;
    private final MinedRecorder applier;
    private final HeaderSettings settings;
    private final Counter reorgs;
    private final Counter reorgedJobs;
    /** Reorged jobs whose new proof is not recorded yet, asked again each round (this loop's thread only). */
    private final Map<JobId, Awaiting> awaiting = new LinkedHashMap<>();

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
        askAgain();
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
            Instant movedAt = Instant.now();
            for (HeaderStore.Reorged j : jobs) {
                if (!answered(j.jobId(), j.txid()) && awaiting.size() < MAX_AWAITING) {
                    awaiting.put(j.jobId(), new Awaiting(j.txid(), movedAt));
                }
            }
        }
        return moved;
    }

    /** How many reorged jobs wait for their new proof to be asked again. */
    public int awaiting() {
        return awaiting.size();
    }

    /** Asks again about up to {@link #ASK_PER_ROUND} waiting jobs; one still without an answer goes to the back. */
    private void askAgain() {
        Instant oldest = Instant.now().minus(settings.getReorgWindow());
        awaiting.values().removeIf(a -> a.since().isBefore(oldest));
        for (JobId job : awaiting.keySet().stream().limit(ASK_PER_ROUND).toList()) {
            Awaiting a = awaiting.remove(job);
            if (!answered(job, a.txid())) {
                awaiting.put(job, a);
            }
        }
    }

    /**
     * Asks for the job's transaction; true once it has an answer: mined again and its proof checked (recorded when
     * it verifies, counted and kept sent when it does not match its header).
     */
    private boolean answered(JobId jobId, Txid txid) {
        try {
            BroadcastResult r = broadcaster.status(txid);
            return r.outcome() == BroadcastResult.Outcome.MINED
                    && applier.recordMined(jobId, txid, r).outcome() != InclusionCheck.Outcome.UNAVAILABLE;
        } catch (RuntimeException e) {
            LOG.warn("reorg watch: cannot ask about {} (job {}) yet: {}", txid.hex(), jobId, e.getMessage());
            return false;
        }
    }
}
