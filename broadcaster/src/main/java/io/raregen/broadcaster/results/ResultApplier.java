package io.raregen.broadcaster.results;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.NetworkStatus;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.broadcaster.headers.InclusionCheck;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.store.DatabaseOutage;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.store.SentJob;
import io.raregen.broadcaster.store.SignedJob;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Applies what the network said, by txid, to the jobs and the pool (docs/ARCHITECTURE.md#invariants):
 * accepted/mined → sent + inputs spent + change into the pool; in flight/unknown → left signed
 * for a re-check with the same bytes; conflict → re-verified, then the input is dirty and the
 * job goes back to be re-signed; rejection → re-signed when a retry can help (fee, inputs),
 * else failed with a code. A stored transaction is discarded only on a definitive answer.
 */
public final class ResultApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ResultApplier.class);
    /** Fewest accepted transactions per pool-update chunk (each chunk is two set-based statements). */
    private static final int MIN_CHUNK = 200;
    /**
     * Rejections where a fresh transaction can succeed: fee too low (after a policy refresh), bad
     * inputs, cumulative fee, and a bare REJECTED status with no 46x code (policy of the moment).
     * Malformed, script, output and size failures (461, 463, 464, 474, ...) would fail again: no retry.
     */
    private static final Set<String> RETRYABLE = Set.of("465", "462", "473", "REJECTED");

    private final PublishJobStore store;
    private final UtxoPool pool;
    private final TransactionBroadcaster broadcaster;
    private final FeePolicy feePolicy;
    private final byte[] poolScript;
    private final Consumer<JobId> requeue;
    private final PipelineMetrics metrics;
    private final int maxAttempts;
    private final ExecutorService poolUpdates;
    private final int poolUpdateThreads;
    private volatile InclusionCheck inclusion;

    public ResultApplier(PublishJobStore store, UtxoPool pool, TransactionBroadcaster broadcaster, FeePolicy feePolicy,
                         byte[] poolScript, Consumer<JobId> requeue, PipelineMetrics metrics, int maxAttempts,
                         int poolUpdateThreads) {
        // pool updates of a batch's results run in a few transactions side by side
        this.poolUpdateThreads = Math.max(1, poolUpdateThreads);
        this.poolUpdates = Executors.newFixedThreadPool(this.poolUpdateThreads, r -> {
            Thread t = new Thread(r, "pool-updates");
            t.setDaemon(true);
            return t;
        });
        this.store = store;
        this.pool = pool;
        this.broadcaster = broadcaster;
        this.feePolicy = feePolicy;
        this.poolScript = poolScript.clone();
        this.requeue = requeue;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
    }

    /**
     * What results left to record: jobs the network accepted whose pool update is done (to be recorded sent), those
     * of them it reported mined already (recorded after they are sent), the jobs whose outcome is still open (in
     * flight or unknown), and how many accepted jobs' pool update failed (they stay signed, for the rescuer).
     */
    public record Applied(List<SignedJob> accepted, List<MinedAtOnce> mined, List<SignedJob> open, int unapplied) {
        public static final Applied NONE = new Applied(List.of(), List.of(), List.of(), 0);

        /** Both passes' results; {@code later}'s open jobs replace these (they were sent again). */
        public Applied then(Applied later, boolean laterResolvesOpen) {
            List<SignedJob> a = new ArrayList<>(accepted);
            a.addAll(later.accepted);
            List<MinedAtOnce> m = new ArrayList<>(mined);
            m.addAll(later.mined);
            List<SignedJob> o = new ArrayList<>(laterResolvesOpen ? List.of() : open);
            o.addAll(later.open);
            return new Applied(a, m, o, unapplied + later.unapplied);
        }

        /** Every job was settled and every accepted one's pool update is done: the batch can be recorded sent whole. */
        public boolean settled() {
            return open.isEmpty() && unapplied == 0;
        }
    }

    /** A job the network reported mined when it was sent, with what it said. */
    public record MinedAtOnce(SignedJob job, BroadcastResult result) {
    }

    /**
     * Applies the results to the pool (inputs spent, change added) and settles conflicts and rejections; the jobs it
     * accepted are recorded sent by {@link #recordSent} once the whole batch's results are in.
     */
    public Applied apply(List<SignedJob> jobs, List<BroadcastResult> results) {
        Map<Txid, BroadcastResult> byTxid = new HashMap<>();
        for (BroadcastResult r : results) {
            byTxid.put(r.txid(), r);
        }
        Map<JobId, SignedJob> accepted = new LinkedHashMap<>();
        List<MinedAtOnce> mined = new ArrayList<>();
        List<SignedJob> open = new ArrayList<>();
        for (SignedJob job : jobs) {
            BroadcastResult r = byTxid.get(job.tx().txid());
            Outcome o = r == null ? Outcome.UNKNOWN : r.outcome();
            metrics.outcome(o.name(), r == null ? "MISSING" : r.errorCode());
            if (o == Outcome.CONFLICT) {
                // a double-spend verdict is re-checked before anything is discarded
                BroadcastResult again = broadcaster.status(job.tx().txid());
                if (again.outcome() == Outcome.ACCEPTED || again.outcome() == Outcome.MINED) {
                    r = again;
                    o = again.outcome();
                } else if (again.outcome() == Outcome.UNKNOWN && !NetworkStatus.isNotFound(again)) {
                    open.add(job);
                    continue;
                }
            }
            switch (o) {
                case ACCEPTED -> accepted.put(job.jobId(), job);
                case MINED -> {
                    accepted.put(job.jobId(), job);
                    mined.add(new MinedAtOnce(job, r));
                }
                case IN_FLIGHT, UNKNOWN -> open.add(job);
                case CONFLICT -> conflict(job, r);
                case REJECTED -> rejected(job, r);
            }
        }
        List<SignedJob> applied = accepted.isEmpty() ? List.of() : updatePool(accepted);
        int unapplied = accepted.size() - applied.size();
        if (unapplied > 0) {
            Set<JobId> done = new java.util.HashSet<>();
            applied.forEach(j -> done.add(j.jobId()));
            mined.removeIf(m -> !done.contains(m.job().jobId()));
        }
        return new Applied(applied, mined, open, unapplied);
    }

    /**
     * Records the accepted jobs sent, then the ones mined at once mined. With a {@code batchId} and every job of it
     * settled, once for the batch (its sent_at and one audit row; the job rows stay signed until mined); else (the
     * rescuer's re-sends, a batch with a job still open) each job row moves to sent. Returns true when the batch was
     * recorded whole.
     */
    public boolean recordSent(BatchId batchId, Applied done) {
        boolean whole = false;
        if (batchId != null && done.settled() && !done.accepted().isEmpty()) {
            List<JobId> ids = done.accepted().stream().map(SignedJob::jobId).toList();
            int n = store.markBatchSent(batchId, ids);
            if (n > 0) {
                whole = true;
                Instant now = Instant.now();
                for (SignedJob j : done.accepted()) {
                    metrics.sent(Duration.between(j.createdAt(), now));
                }
            }
        }
        if (!whole && !done.accepted().isEmpty()) {
            Map<JobId, Txid> pairs = new LinkedHashMap<>();
            done.accepted().forEach(j -> pairs.put(j.jobId(), j.tx().txid()));
            for (SentJob s : store.markSent(pairs)) {
                metrics.sent(Duration.between(s.createdAt(), s.sentAt()));
            }
        }
        for (MinedAtOnce m : done.mined()) {
            recordMined(m.job().jobId(), m.job().tx().txid(), m.result());
        }
        return whole;
    }

    /**
     * The pool first, then the job: inputs spent and change added for every accepted transaction, and only then are
     * the jobs recorded sent ({@link #recordSent}). A crash in between leaves a job signed in an unsent batch, so the
     * rescuer re-sends it and re-applies the (idempotent) pool update — the pool is never left behind a job that is
     * already sent. Returns the jobs whose pool update is done.
     */
    private List<SignedJob> updatePool(Map<JobId, SignedJob> accepted) {
        // a few chunks side by side, each one pool transaction (confirmSpentAll): one commit per
        // chunk instead of one per published transaction
        List<SignedJob> all = new ArrayList<>(accepted.values());
        // each chunk is two set-based statements whatever its size: few large chunks, no more than
        // a multi-core database can run side by side
        int chunks = Math.max(1, Math.min(poolUpdateThreads, (all.size() + MIN_CHUNK - 1) / MIN_CHUNK));
        int per = (all.size() + chunks - 1) / chunks;
        Map<List<SignedJob>, Future<?>> pending = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i += per) {
            List<SignedJob> chunk = all.subList(i, Math.min(all.size(), i + per));
            List<UtxoPool.Spend> spends = chunk.stream().map(j -> new UtxoPool.Spend(j.tx().txid(), inputs(j),
                    changeOutputs(j), UtxoPool.Purpose.PUBLISH)).toList();
            pending.put(chunk, poolUpdates.submit(() -> pool.confirmSpentAll(spends)));
        }
        List<SignedJob> done = new ArrayList<>(all.size());
        for (Map.Entry<List<SignedJob>, Future<?>> e : pending.entrySet()) {
            try {
                e.getValue().get();
                done.addAll(e.getKey());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while updating the pool", ie);
            } catch (ExecutionException ee) {
                // these stay signed: the rescuer re-sends them and applies the (idempotent) pool update again
                if (DatabaseOutage.is(ee.getCause())) {
                    LOG.warn("database unavailable: pool update of {} accepted transactions not done; they stay signed: {}",
                            e.getKey().size(), DatabaseOutage.describe(ee.getCause()));
                } else {
                    LOG.error("pool update failed for {} accepted transactions; they stay signed", e.getKey().size(), ee.getCause());
                }
            }
        }
        return done;
    }

    /**
     * Checks every merkle path against a header from {@code check}'s source before a job is marked
     * mined; without one (tests, or no {@code raregen.headers.url}) ARC's word is taken.
     */
    public void checkInclusionWith(InclusionCheck check) {
        this.inclusion = check;
    }

    /** The inclusion check in use, or null (ARC's word is taken). */
    public InclusionCheck inclusion() {
        return inclusion;
    }

    /**
     * Records block data for a job (and the pool's chain depth); used by results, the confirmation tracker,
     * callbacks and the reorg watch. When the inclusion check does not pass, nothing changes (the job stays
     * sent) and the verdict says why.
     */
    public InclusionCheck.Verdict recordMined(JobId jobId, Txid txid, BroadcastResult r) {
        byte[] path = r.merklePathHex() == null ? null : HexFormat.of().parseHex(r.merklePathHex());
        InclusionCheck check = inclusion;
        InclusionCheck.Verdict verdict = check == null ? UNCHECKED
                : check.check(jobId.value(), txid, path, r.blockHash(), r.blockHeight());
        if (!verdict.verified()) {
            return verdict;
        }
        if (store.markMined(jobId, txid, r.blockHash(), r.blockHeight(), path) && r.blockHeight() != null) {
            pool.markMined(txid, r.blockHeight());
        }
        return verdict;
    }

    private static final InclusionCheck.Verdict UNCHECKED =
            new InclusionCheck.Verdict(InclusionCheck.Outcome.VERIFIED, "not checked: no header source");

    private void conflict(SignedJob job, BroadcastResult r) {
        String reason = "conflict: " + (r.networkStatus() == null ? "" : r.networkStatus())
                + (r.competingTxs() == null || r.competingTxs().isEmpty() ? "" : " competing " + r.competingTxs())
                + (r.detail() == null ? "" : " " + r.detail());
        withJob(job, () -> LOG.warn("double spend reported for job {}; marking inputs dirty and re-signing ({})", job.jobId(), reason));
        if (job.attempts() >= maxAttempts) {
            fail(job, "DOUBLE_SPEND", reason, true);
            return;
        }
        if (store.discardForResign(job.jobId(), job.tx().txid(), reason)) {
            for (Outpoint o : inputs(job)) {
                pool.markDirty(o, reason.length() > 500 ? reason.substring(0, 500) : reason);
            }
            requeue.accept(job.jobId());
        }
    }

    private void rejected(SignedJob job, BroadcastResult r) {
        String code = r.errorCode() == null ? "REJECTED" : r.errorCode();
        String detail = r.detail() == null ? r.networkStatus() : r.detail();
        if (RETRYABLE.contains(code) && job.attempts() < maxAttempts) {
            withJob(job, () -> LOG.warn("job {} rejected with {} ({}); re-signing", job.jobId(), code, detail));
            if ("465".equals(code) && feePolicy instanceof ArcFeePolicy arc) {
                arc.refresh();
            }
            if (store.discardForResign(job.jobId(), job.tx().txid(), "rejected " + code + ": " + detail)) {
                if ("462".equals(code)) {
                    for (Outpoint o : inputs(job)) {
                        pool.markDirty(o, "rejected 462: " + detail);
                    }
                } else {
                    pool.release(inputs(job));
                }
                requeue.accept(job.jobId());
            }
            return;
        }
        fail(job, "ARC_" + code, detail, false);
    }

    private void fail(SignedJob job, String code, String detail, boolean inputsDirty) {
        withJob(job, () -> LOG.error("job {} failed: {} {}", job.jobId(), code, detail));
        if (store.failSigned(job.jobId(), job.tx().txid(), code, detail)) {
            metrics.jobFailed(code);
            if (!inputsDirty) {
                pool.release(inputs(job));
            } else {
                for (Outpoint o : inputs(job)) {
                    pool.markDirty(o, detail == null ? code : detail);
                }
            }
        }
    }

    static List<Outpoint> inputs(SignedJob j) {
        return j.tx().inputs().stream().map(Utxo::outpoint).toList();
    }

    /** Outputs paying back to the pool key (the change) as new pool UTXOs. */
    List<Utxo> changeOutputs(SignedJob j) {
        return changeOutputs(j.tx(), poolScript);
    }

    /** The outputs of {@code tx} paying {@code poolScript} (its change), as new pool UTXOs. */
    public static List<Utxo> changeOutputs(SignedTransaction tx, byte[] poolScript) {
        List<Utxo> out = new ArrayList<>();
        List<TxOutput> outputs = tx.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            TxOutput o = outputs.get(i);
            if (o.value().value() >= 1 && Arrays.equals(o.script(), poolScript)) {
                out.add(new Utxo(new Outpoint(tx.txid(), i), o.value(), o.script()));
            }
        }
        return out;
    }

    /** Stops the pool-update threads. */
    public void close() {
        poolUpdates.shutdown();
    }

    private static void withJob(SignedJob job, Runnable log) {
        try (MDC.MDCCloseable a = MDC.putCloseable("jobId", job.jobId().value());
             MDC.MDCCloseable b = MDC.putCloseable("txid", job.tx().txid().hex());
             MDC.MDCCloseable c = MDC.putCloseable("batchId", String.valueOf(job.batchId()))) {
            log.run();
        }
    }
}
