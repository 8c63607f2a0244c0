package io.raregen.broadcaster.anchor;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.broadcaster.pipeline.PipelineHooks;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.recovery.Loop;
import io.raregen.broadcaster.store.ClaimedJob;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.store.StoreException;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorTransactions;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.InsufficientFundsException;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Ulid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The anchoring window: every {@code raregen.anchor.window} it claims the queued anchor-mode jobs (up to
 * {@code max-records}), builds their tree (leaf i = the i-th oldest job), reserves ONE pool input exactly as a
 * record's is reserved, signs ONE transaction (the anchor output, change back to the pool), stores it with every
 * job's leaf index in one database transaction, and only then broadcasts it. A full window runs again at once.
 *
 * <p>Crash safety follows the record path: jobs claimed into a batch that was never stored stay {@code processing}
 * without a transaction, and the rescuer requeues them (and any lease lapses); a stored transaction is resent with
 * the same bytes by {@link AnchorRescue}, never re-signed.
 */
public final class AnchorWindow implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorWindow.class);

    /** Everything the window needs from the pipeline. */
    public record Parts(String instanceId, AnchorSettings settings, AnchorStore store, PublishJobStore jobs,
                        UtxoPool pool, KeyPair poolKey, FeePolicy fees, TransactionBroadcaster broadcaster,
                        RateLimiter limiter, AnchorResults results, PipelineHooks hooks, Duration lease) {
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
        String batchId = Ulid.generate();
        long t0 = System.nanoTime();
        List<ClaimedJob> claimed = p.store().claim(batchId, p.instanceId(), Math.max(1, p.settings().getMaxRecords()));
        if (claimed.isEmpty()) {
            return 0;
        }
        p.hooks().afterClaim(batchId);
        List<String> leaves = new ArrayList<>(claimed.size());
        List<AnchorHash> digests = new ArrayList<>(claimed.size());
        for (ClaimedJob j : claimed) {
            try {
                digests.add(RecordLeaf.digest(j.envelope()));
                leaves.add(j.jobId());
            } catch (IllegalArgumentException e) {
                // intake never accepts such an envelope; a row written some other way can never be anchored
                p.jobs().failUnsigned(j.jobId(), batchId, "RECORD_UNENCODABLE", e.getMessage());
            }
        }
        if (leaves.isEmpty()) {
            return 0;
        }
        long t1 = System.nanoTime();
        AnchorTree tree = AnchorTree.of(digests);
        Anchor anchor = Anchor.of(batchId, tree);
        FeeRate rate = p.fees().current();
        List<Reservation> reserved = p.pool().reserve(List.of(new ReservationRequest(batchId,
                AnchorTransactions.estimateFee(rate), rate.feeFor(148))), p.instanceId(), p.lease());
        if (reserved.isEmpty()) {
            LOG.warn("anchor batch {}: the pool cannot cover one anchor transaction; {} jobs back to the queue", batchId,
                    leaves.size());
            p.store().handBack(batchId);
            return 0;
        }
        List<Utxo> inputs = reserved.get(0).inputs();
        SignedTransaction tx;
        try {
            tx = AnchorTransactions.build(inputs, p.poolKey(), anchor, p.poolKey().p2pkhLockingScript(), rate);
        } catch (InsufficientFundsException e) {
            giveBack(batchId, inputs, "the reserved input does not cover the fee: " + e.getMessage());
            return 0;
        }
        p.hooks().beforeStore(batchId);
        long t2 = System.nanoTime();
        try {
            p.store().storeSigned(batchId, tree, leaves, tx, p.instanceId());
        } catch (StoreException e) {
            giveBack(batchId, inputs, "storing it failed: " + e.getMessage());
            return 0;
        }
        long t3 = System.nanoTime();
        p.hooks().afterStore(batchId);
        send(batchId, tx);
        LOG.info("anchor batch {}: {} records under root {}, transaction {} ({} sat fee); claimed in {} ms, tree and "
                        + "transaction {} ms, stored {} ms, sent and applied {} ms", batchId, tree.size(), tree.root(), tx.txid(),
                tx.fee().value(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
                (System.nanoTime() - t3) / 1_000_000);
        p.hooks().afterBroadcast(batchId);
        return leaves.size();
    }

    /** One broadcast of the stored bytes through the rate limiter, its answer applied. */
    void send(String batchId, SignedTransaction tx) throws InterruptedException {
        p.limiter().acquire(1);
        List<BroadcastResult> results = p.broadcaster().broadcast(List.of(tx));
        p.results().apply(batchId, tx, results.isEmpty() ? null : results.get(0));
    }

    private void giveBack(String batchId, List<Utxo> inputs, String why) {
        LOG.warn("anchor batch {}: {}; its input and jobs are given back", batchId, why);
        p.pool().release(inputs.stream().map(Utxo::outpoint).toList());
        p.store().handBack(batchId);
    }
}
