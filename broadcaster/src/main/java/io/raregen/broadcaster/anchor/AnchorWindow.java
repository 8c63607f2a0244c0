package io.raregen.broadcaster.anchor;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.Broadcasting;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.store.ClaimedJob;
import io.raregen.broadcaster.utxo.Payer;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorTransactions;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.InsufficientFundsException;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anchoring window: every {@code raregen.anchor.window} it claims the queued anchor-mode jobs (up to
 * {@code max-records}), builds their tree (leaf i = the i-th oldest job), reserves ONE pool input exactly as a
 * record's is reserved, signs ONE transaction (the anchor output, change back to the pool), and stores it with every
 * job's leaf index — claim and store in one database transaction — and only then broadcasts it. A full window runs
 * again at once.
 *
 * <p>Crash safety: jobs are written only together with their stored batch, so a batch that never got stored leaves
 * its jobs queued for the next window (its reserved input is released, or its lease lapses); a stored transaction is
 * resent with the same bytes by {@link AnchorRescue}, never re-signed.
 */
public final class AnchorWindow implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorWindow.class);

    /** Everything the window needs from the pipeline. */
    public record Parts(String instanceId, AnchorSettings settings, AnchorStore store, Payer payer, Broadcasting broadcasting,
                        AnchorResults results, PipelineHooks hooks, Duration lease) {
    }

    private final Parts p;

    public AnchorWindow(Parts parts) {
        this.p = parts;
    }

    @Override
    public String name() {
        return "anchor-window";
    }

    @Override
    public Duration interval() {
        return p.settings().getWindow();
    }

    /** A round anchors a whole backlog, a full tree at a time: tens of seconds for 100,000 records on a busy machine. */
    @Override
    public Duration heartbeatInterval() {
        Duration floor = Duration.ofMinutes(1);
        return p.settings().getWindow().compareTo(floor) > 0 ? p.settings().getWindow() : floor;
    }

    /** Anchors what is queued, a full tree at a time; returns how many jobs were anchored (stored). */
    @Override
    public int runOnce() throws InterruptedException {
        int total = 0;
        while (true) {
            int claimed = anchorOne();
            if (claimed <= 0) {
                return total;
            }
            total += claimed;
            if (claimed < p.settings().getMaxRecords()) {
                return total;
            }
        }
    }

    /** One batch: claimed jobs stored under one anchor transaction and sent; 0 when nothing was queued or stored. */
    int anchorOne() throws InterruptedException {
        BatchId batchId = BatchId.generate();
        long t0 = System.nanoTime();
        long[] prepared = new long[2];
        List<Utxo> reserved = new ArrayList<>();
        AnchorStore.Prepared stored;
        try {
            stored = p.store().claimAndStore(batchId, p.instanceId(), Math.max(1, p.settings().getMaxRecords()), jobs -> {
                prepared[0] = System.nanoTime();
                p.hooks().afterClaim(batchId);
                AnchorStore.Prepared batch = prepare(batchId, jobs, reserved);
                p.hooks().beforeStore(batchId);
                prepared[1] = System.nanoTime();
                return batch;
            });
        } catch (RuntimeException e) {
            // nothing was stored: the jobs are still queued; the reserved input goes back at once (else at its lease)
            if (!reserved.isEmpty()) {
                p.payer().pool().release(reserved.stream().map(Utxo::outpoint).toList());
            }
            throw e;
        }
        if (stored == null) {
            if (!reserved.isEmpty()) {
                p.payer().pool().release(reserved.stream().map(Utxo::outpoint).toList());
            }
            return 0;
        }
        long t3 = System.nanoTime();
        SignedTransaction tx = stored.tx();
        p.hooks().afterStore(batchId);
        send(batchId, tx);
        LOG.info("anchor batch {}: {} records under root {}, transaction {} ({} sat fee); claimed in {} ms, tree and "
                        + "transaction {} ms, stored {} ms, sent and applied {} ms", batchId, stored.tree().size(),
                stored.tree().root(), tx.txid(), tx.fee().value(), (prepared[0] - t0) / 1_000_000,
                (prepared[1] - prepared[0]) / 1_000_000, (t3 - prepared[1]) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
        p.hooks().afterBroadcast(batchId);
        return stored.leaves().size();
    }

    /**
     * The tree of the claimed jobs (leaf i = the i-th oldest), one reserved pool input ({@code reserved} receives it)
     * and the signed anchor transaction; null when there is nothing to store (no input to be had, or no job that can
     * be a leaf — those are failed only along with a stored batch).
     */
    private AnchorStore.Prepared prepare(BatchId batchId, List<ClaimedJob> jobs, List<Utxo> reserved) {
        List<JobId> leaves = new ArrayList<>(jobs.size());
        List<AnchorHash> digests = new ArrayList<>(jobs.size());
        Map<JobId, String> unencodable = new LinkedHashMap<>();
        for (ClaimedJob j : jobs) {
            try {
                digests.add(RecordLeaf.digest(j.envelope()));
                leaves.add(j.jobId());
            } catch (IllegalArgumentException e) {
                // intake never accepts such an envelope; a row written some other way can never be anchored
                unencodable.put(j.jobId(), e.getMessage());
            }
        }
        if (leaves.isEmpty()) {
            return null;
        }
        AnchorTree tree = AnchorTree.of(digests);
        FeeRate rate = p.payer().fees().current();
        // one input for the whole tree: the request is named by its first leaf's job (a name only, never stored)
        List<Reservation> r = p.payer().pool().reserve(List.of(new ReservationRequest(leaves.get(0),
                AnchorTransactions.estimateFee(rate), rate.feeFor(148))), p.instanceId(), p.lease());
        if (r.isEmpty()) {
            LOG.warn("anchor batch {}: the pool cannot cover one anchor transaction; {} jobs stay queued", batchId, leaves.size());
            return null;
        }
        reserved.addAll(r.get(0).inputs());
        try {
            SignedTransaction tx = AnchorTransactions.build(reserved, p.payer().key(), Anchor.of(batchId, tree),
                    p.payer().key().p2pkhLockingScript(), rate);
            return new AnchorStore.Prepared(tree, leaves, tx, unencodable);
        } catch (InsufficientFundsException e) {
            LOG.warn("anchor batch {}: the reserved input does not cover the fee ({}); the jobs stay queued", batchId,
                    e.getMessage());
            return null;
        }
    }

    /** One broadcast of the stored bytes through the rate limiter, its answer applied. */
    void send(BatchId batchId, SignedTransaction tx) throws InterruptedException {
        p.broadcasting().limiter().acquire(1);
        List<BroadcastResult> results = p.broadcasting().broadcaster().broadcast(List.of(tx));
        p.results().apply(batchId, tx, results.isEmpty() ? null : results.get(0));
    }

}
