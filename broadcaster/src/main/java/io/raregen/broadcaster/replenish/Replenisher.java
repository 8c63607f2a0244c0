package io.raregen.broadcaster.replenish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.replenish.PoolTransactionStore.Locked;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.InsufficientFundsException;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the publish pool deep (broadcaster/POOL.md): when usable publish UTXOs fall below {@code minPoolSize}, splits
 * funding UTXOs into {@code splitBatchSize} outputs of {@code denominationSats} paying the pool key, in a
 * chain of transactions of at most {@code maxOutputsPerTx} outputs each, change back to funding. Also merges
 * small change back into funding (consolidation). Every transaction is stored before it is broadcast and
 * re-sent with the same bytes until the network accepts or refuses it.
 */
@Singleton
public class Replenisher {
    private static final Logger LOG = LoggerFactory.getLogger(Replenisher.class);
    static final String HOLDER = "replenisher";
    /** version + locktime + two varints, rounded up. */
    private static final int TX_OVERHEAD = 4 + 4 + 3 + 3;
    private static final int P2PKH_OUTPUT = 8 + 1 + 25;

    /** What one round did. */
    public record Round(long depthBefore, int transactionsSigned, int outputsCreated, int accepted, int pending,
                        int rejected) {
    }

    private final PoolTransactionStore store;
    private final TransactionBroadcaster broadcaster;
    private final FeePolicy feePolicy;
    private final ServiceKeys keys;
    private final ReplenisherSettings settings;
    private final int maxChainDepth;
    private final Counter splits;
    private final Counter splitOutputs;
    private final Counter consolidations;
    private final Counter consolidatedInputs;
    private final Counter rejections;

    public Replenisher(PoolTransactionStore store, TransactionBroadcaster broadcaster, FeePolicy feePolicy,
                       ServiceKeys keys, ReplenisherSettings settings, MeterRegistry meters) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.feePolicy = feePolicy;
        this.keys = keys;
        this.settings = settings;
        this.maxChainDepth = store.pool().settings().getMaxChainDepth();
        this.splits = meters.counter("raregen.pool.splits");
        this.splitOutputs = meters.counter("raregen.pool.split.outputs");
        this.consolidations = meters.counter("raregen.pool.consolidations");
        this.consolidatedInputs = meters.counter("raregen.pool.consolidated.inputs");
        this.rejections = meters.counter("raregen.pool.transactions.rejected");
    }

    /** One replenishment round: re-send what is stored but unaccepted, then split if the pool is low. */
    public synchronized Round runOnce() {
        int[] resent = resendUnsent();
        long depth = store.publishDepthIncludingPending(maxChainDepth);
        if (depth >= settings.getMinPoolSize()) {
            return new Round(depth, 0, 0, resent[0], resent[1], resent[2]);
        }
        List<SignedTransaction> chain = planAndStoreSplits(settings.getSplitBatchSize());
        if (chain == null) {
            return new Round(depth, 0, 0, resent[0], resent[1], resent[2]); // another instance split meanwhile
        }
        if (chain.isEmpty()) {
            LOG.warn("pool low ({} usable publish UTXOs, minimum {}) and no funding UTXO can pay for a split; "
                    + "fund the funding address", depth, settings.getMinPoolSize());
            return new Round(depth, 0, 0, resent[0], resent[1], resent[2]);
        }
        int outputs = chain.stream().mapToInt(t -> t.outputs().size() - 1).sum();
        int[] r = broadcastChain(chain, "split");
        LOG.info("replenisher: depth {} < {}: signed {} split transaction(s), {} accepted, {} pending, {} rejected",
                depth, settings.getMinPoolSize(), chain.size(), r[0], r[1], r[2]);
        return new Round(depth, chain.size(), outputs, r[0] + resent[0], r[1] + resent[1], r[2] + resent[2]);
    }

    /** Merges small publish UTXOs into one funding output; returns the transaction, if one was worth making. */
    public synchronized Round consolidateOnce() {
        resendUnsent();
        FeeRate rate = feePolicy.current();
        long inputFee = rate.feeFor(TransactionBuilder.P2PKH_INPUT_MAX_SIZE).value();
        List<SignedTransaction> chain = store.pool().inTransaction(c -> {
            List<Locked> small = store.lockConsolidationCandidates(c, settings.getConsolidationBelowSats(), inputFee,
                    maxChainDepth, settings.getConsolidationMaxInputs());
            if (small.size() < settings.getConsolidationMinInputs()) {
                return List.<SignedTransaction>of();
            }
            TransactionBuilder b = new TransactionBuilder();
            small.forEach(l -> b.addInput(l.utxo()));
            b.changeTo(keys.fundingKey().p2pkhLockingScript());
            SignedTransaction tx;
            try {
                tx = b.sign(keys.poolKey(), rate);
            } catch (InsufficientFundsException e) {
                return List.<SignedTransaction>of();
            }
            if (tx.outputs().isEmpty()) {
                return List.<SignedTransaction>of();
            }
            int depth = small.stream().mapToInt(Locked::depth).max().orElse(0) + 1;
            store.storeSigned(c, "consolidation", tx, List.of(Purpose.FUNDING), depth, HOLDER);
            return List.of(tx);
        });
        if (chain.isEmpty()) {
            return new Round(0, 0, 0, 0, 0, 0);
        }
        int[] r = broadcastChain(chain, "consolidation");
        
        LOG.info("consolidation: {} inputs into {} ({} accepted, {} pending, {} rejected)",
                chain.get(0).inputs().size(), chain.get(0).txid(), r[0], r[1], r[2]);
        return new Round(0, 1, 1, r[0], r[1], r[2]);
    }

    /**
     * Builds, signs and stores (one database transaction) a chain of split transactions. Null when another
     * instance holds the replenishment lock or the pool became deep enough meanwhile (checked under the lock,
     * so two instances never both split for the same shortfall).
     */
    List<SignedTransaction> planAndStoreSplits(int wanted) {
        FeeRate rate = feePolicy.current();
        byte[] poolScript = keys.poolKey().p2pkhLockingScript();
        byte[] fundingScript = keys.fundingKey().p2pkhLockingScript();
        long denom = settings.getDenominationSats();
        return store.pool().inTransaction(c -> {
            if (!store.tryLockReplenishment(c)
                    || store.publishDepthIncludingPending(c, maxChainDepth) >= settings.getMinPoolSize()) {
                return null;
            }
            List<SignedTransaction> chain = new ArrayList<>();
            int remaining = wanted;
            for (Locked funding : store.lockFunding(c, maxChainDepth, 16)) {
                Utxo current = funding.utxo();
                int depth = funding.depth();
                while (remaining > 0 && depth + 1 < maxChainDepth) {
                    int n = fit(current.satoshis().value(), Math.min(remaining, settings.getMaxOutputsPerTx()), denom, rate);
                    if (n < 1) {
                        break;
                    }
                    SignedTransaction tx = signSplit(current, n, denom, poolScript, fundingScript, rate);
                    if (tx == null) {
                        break;
                    }
                    List<Purpose> purposes = new ArrayList<>(Collections.nCopies(n, Purpose.PUBLISH));
                    boolean hasChange = tx.outputs().size() > n;
                    if (hasChange) {
                        purposes.add(Purpose.FUNDING);
                    }
                    store.storeSigned(c, "split", tx, purposes, depth + 1, HOLDER);
                    chain.add(tx);
                    remaining -= n;
                    if (!hasChange) {
                        break;
                    }
                    TxOutput change = tx.outputs().get(n);
                    current = new Utxo(new Outpoint(tx.txid(), n), change.value(), change.script());
                    depth++;
                }
                if (remaining == 0) {
                    break;
                }
            }
            return chain;
        });
    }

    /** Most outputs (at most {@code n}) that {@code value} pays for, fee included. */
    static int fit(long value, int n, long denom, FeeRate rate) {
        int hi = n;
        while (hi > 0) {
            int size = TX_OVERHEAD + TransactionBuilder.P2PKH_INPUT_MAX_SIZE + P2PKH_OUTPUT * (hi + 1);
            if (hi * denom + rate.feeFor(size).value() <= value) {
                return hi;
            }
            long affordable = (value - rate.feeFor(size).value()) / denom;
            hi = (int) Math.max(0, Math.min(hi - 1, affordable));
        }
        return 0;
    }

    private SignedTransaction signSplit(Utxo input, int n, long denom, byte[] poolScript, byte[] fundingScript,
                                        FeeRate rate) {
        TransactionBuilder b = new TransactionBuilder().addInput(input);
        TxOutput out = new TxOutput(Satoshis.of(denom), poolScript);
        for (int i = 0; i < n; i++) {
            b.addOutput(out);
        }
        b.changeTo(fundingScript);
        try {
            return b.sign(keys.fundingKey(), rate);
        } catch (InsufficientFundsException e) {
            return null; // fit() estimated the fee; a miss by a byte just ends this round's chain
        }
    }

    private int[] resendUnsent() {
        int discarded = store.discardDoomed();
        if (discarded > 0) {
            rejections.increment(discarded);
            LOG.warn("discarded {} stored pool transaction(s) whose inputs were spent elsewhere", discarded);
        }
        List<PoolTransactionStore.Stored> unsent = store.unsent();
        if (unsent.isEmpty()) {
            return new int[3];
        }
        int[] total = new int[3];
        for (PoolTransactionStore.Stored s : unsent) {
            int[] r = broadcastChain(List.of(s.tx()), s.kind());
            for (int i = 0; i < 3; i++) {
                total[i] += r[i];
            }
        }
        return total;
    }

    /**
     * Broadcasts in order, one at a time (each may spend the previous one's change). Stops at the first
     * unknown or in-flight outcome (the same bytes go again next round); a refusal discards that
     * transaction and every later one, which may depend on it. Returns {accepted, pending, rejected}.
     */
    int[] broadcastChain(List<SignedTransaction> chain, String what) {
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < chain.size(); i++) {
            SignedTransaction tx = chain.get(i);
            store.countAttempt(tx.txid());
            BroadcastResult r = broadcaster.broadcast(List.of(tx)).stream()
                    .filter(x -> x.txid().equals(tx.txid())).findFirst()
                    .orElse(null);
            BroadcastResult.Outcome outcome = r == null ? BroadcastResult.Outcome.UNKNOWN : r.outcome();
            switch (outcome) {
                case ACCEPTED, MINED -> {
                    store.markAccepted(tx.txid());
                    if (outcome == BroadcastResult.Outcome.MINED && r.blockHeight() != null) {
                        store.pool().markMined(tx.txid(), r.blockHeight());
                    }
                    accepted++;
                    countAccepted(tx, what);
                }
                case IN_FLIGHT, UNKNOWN -> {
                    LOG.info("{} {}: outcome {} ({}), re-sent next round", what, tx.txid(), outcome,
                            r == null ? "no answer" : r.networkStatus());
                    return new int[]{accepted, chain.size() - i, rejected};
                }
                case CONFLICT -> {
                    // not final (ARC: DOUBLE_SPEND_ATTEMPTED resolves when one side is mined): keep the stored
                    // transaction, skip its inputs, and let the next round or the dirty re-check decide
                    for (Utxo in : tx.inputs()) {
                        store.pool().markDirty(in.outpoint(), "DOUBLE_SPEND_ATTEMPTED competing=" + r.competingTxs());
                    }
                    LOG.warn("{} {} conflicts with {}; inputs marked dirty", what, tx.txid(), r.competingTxs());
                    return new int[]{accepted, chain.size() - i, rejected};
                }
                case REJECTED -> {
                    String detail = r.errorCode() + " " + r.networkStatus() + " " + r.detail();
                    LOG.warn("{} {} refused: {}; discarding it and {} later transaction(s)", what, tx.txid(), detail,
                            chain.size() - i - 1);
                    for (int k = i; k < chain.size(); k++) {
                        store.markRejected(chain.get(k).txid(), k == i ? detail : "parent " + tx.txid() + " refused");
                        rejections.increment();
                    }
                    rejected += chain.size() - i;
                    return new int[]{accepted, 0, rejected};
                }
                default -> throw new IllegalStateException("unhandled outcome " + outcome);
            }
        }
        return new int[]{accepted, 0, rejected};
    }

    private void countAccepted(SignedTransaction tx, String kind) {
        if (kind.equals("consolidation")) {
            consolidations.increment();
            consolidatedInputs.increment(tx.inputs().size());
        } else {
            splits.increment();
            splitOutputs.increment(Math.max(0, tx.outputs().size() - 1));
        }
    }

    public UtxoPool pool() {
        return store.pool();
    }
}
