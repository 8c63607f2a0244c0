package io.raregen.localchain.ledger;

import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.Signatures;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.localchain.ArcErrorCode;
import io.raregen.localchain.TxStatus;
import io.raregen.localchain.TxView;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.blocks.Bump;
import io.raregen.localchain.blocks.Hashes;
import io.raregen.localchain.blocks.MerkleTree;
import io.raregen.localchain.faults.Faults;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * The UTXO set, the mempool and the blocks. Submits validate in two phases: everything that
 * needs no shared state (policy, fee, scripts) runs on the caller's thread without a lock;
 * only input lookup, conflict detection and the state change run under the one ledger lock.
 */
public final class Ledger {
    private static final HexFormat HEX = HexFormat.of();
    private static final long MAX_MONEY = 21_000_000L * 100_000_000L;
    private static final byte[] COINBASE_SCRIPT = {0x51}; // OP_TRUE: the chain's block rewards go nowhere useful

    /** Limits and defaults of the ledger, from LocalChainConfig. */
    public record Rules(FeeRate feeRate, int maxChainDepth, int maxTxSize, boolean skipScriptValidation,
                        long orphanExpiryMillis) {
    }

    private final Rules rules;
    private final Faults faults;
    private final StatusListener listener;
    private final ScheduledExecutorService scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // pre-sized: rehashing a map of 100k+ entries shows up in profiles
    private final ConcurrentHashMap<Outpoint, Coin> coins = new ConcurrentHashMap<>(1 << 17);
    /** Accepted transactions, in the mempool or mined. */
    private final ConcurrentHashMap<Txid, TxEntry> accepted = new ConcurrentHashMap<>(1 << 16);
    /** Orphans, double-spend attempts and rejected transactions (answered by GET, not spendable). */
    private final ConcurrentHashMap<Txid, TxEntry> others = new ConcurrentHashMap<>();
    private final LinkedHashMap<Txid, TxEntry> mempool = new LinkedHashMap<>(1 << 15);
    private final ArrayList<TxEntry> acceptOrder = new ArrayList<>();
    private final HashMap<Txid, List<TxEntry>> orphansByParent = new HashMap<>();
    private final HashMap<Txid, List<TxEntry>> losersByWinner = new HashMap<>();
    private final ArrayList<Block> blocks = new ArrayList<>();
    private final ArrayList<byte[]> coinbases = new ArrayList<>();
    private final AtomicLong faucetCounter = new AtomicLong();
    private final long instanceNonce = System.nanoTime();
    private long seq;
    /** Reorgs so far: part of every coinbase, so a block re-mined at the same height gets a new hash. */
    private long reorgs;

    public Ledger(Rules rules, Faults faults, StatusListener listener, ScheduledExecutorService scheduler) {
        this.rules = rules;
        this.faults = faults;
        this.listener = listener;
        this.scheduler = scheduler;
        appendBlock(List.of(), Instant.now().getEpochSecond()); // genesis: height 0, coinbase only
    }

    // ------------------------------------------------------------------ submit

    /** Validates and applies a request's transactions in order; outcomes are in request order. */
    public List<SubmitOutcome> submit(List<Candidate> candidates, SubmitOptions options) {
        boolean skipScripts = rules.skipScriptValidation() || options.skipScriptValidation();
        SubmitOutcome[] outcomes = new SubmitOutcome[candidates.size()];
        TxEntry[] pending = new TxEntry[candidates.size()];
        Map<Txid, Candidate> earlier = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            TxEntry known = accepted.get(c.txid());
            if (known == null) {
                Object r = precheck(c, earlier, options, skipScripts);
                if (r instanceof SubmitOutcome o) {
                    outcomes[i] = o;
                } else {
                    pending[i] = (TxEntry) r;
                    pending[i].addCallback(options.callback());
                }
            }
            earlier.put(c.txid(), c);
        }
        List<Runnable> notifications = new ArrayList<>();
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            ArrayDeque<TxEntry> freedOrphans = new ArrayDeque<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (outcomes[i] != null) {
                    continue;
                }
                if (pending[i] == null) {
                    TxEntry known = accepted.get(candidates.get(i).txid());
                    known.addCallback(options.callback());
                    outcomes[i] = SubmitOutcome.status(known.view);
                    continue;
                }
                outcomes[i] = commit(pending[i], now, freedOrphans, notifications);
            }
            while (!freedOrphans.isEmpty()) {
                TxEntry orphan = freedOrphans.poll();
                if (others.get(orphan.txid) == orphan && orphan.view.status() == TxStatus.SEEN_IN_ORPHAN_MEMPOOL) {
                    commit(orphan, now, freedOrphans, notifications);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifications.forEach(Runnable::run);
        return Arrays.asList(outcomes);
    }

    /** Checks that need no ledger state, or only immutable coin data; returns a TxEntry to commit or an error. */
    private Object precheck(Candidate c, Map<Txid, Candidate> earlier, SubmitOptions options, boolean skipScripts) {
        String txid = c.txid().hex();
        RawTransaction tx = c.tx();
        int size = c.raw().length;
        List<RawTransaction.Input> inputs = tx.inputs();
        List<TxOutput> outputs = tx.outputs();
        if (!options.skipTxValidation()) {
            if (size < 61) {
                return SubmitOutcome.error(txid, ArcErrorCode.MALFORMED, "transaction is " + size + " bytes, under the 61-byte minimum");
            }
            if (size > rules.maxTxSize()) {
                return SubmitOutcome.error(txid, ArcErrorCode.TX_SIZE, "transaction is " + size + " bytes, over maxtxsizepolicy " + rules.maxTxSize());
            }
            if (outputs.isEmpty()) {
                return SubmitOutcome.error(txid, ArcErrorCode.OUTPUTS, "transaction has no outputs");
            }
        }
        long sumOut = 0;
        for (int i = 0; i < outputs.size(); i++) {
            TxOutput o = outputs.get(i);
            long v = o.value().value();
            sumOut += v;
            if (options.skipTxValidation()) {
                continue;
            }
            byte[] script = o.script();
            if (TxBytes.isDataScript(script)) {
                if (v != 0) {
                    return SubmitOutcome.error(txid, ArcErrorCode.OUTPUTS, "data output " + i + " (OP_FALSE OP_RETURN) has " + v + " satoshis; it must have 0");
                }
            } else if (v < 1) {
                return SubmitOutcome.error(txid, ArcErrorCode.OUTPUTS, "output " + i + " has " + v + " satoshis; spendable outputs need at least 1");
            }
        }
        if (sumOut > MAX_MONEY) {
            return SubmitOutcome.error(txid, ArcErrorCode.OUTPUTS, "output total " + sumOut + " is too large");
        }
        List<TxOutput> prevouts;
        List<Outpoint> inputOutpoints = new ArrayList<>(inputs.size());
        for (RawTransaction.Input in : inputs) {
            if (in.isCoinbase()) {
                return SubmitOutcome.error(txid, ArcErrorCode.INPUTS, "coinbase inputs cannot be submitted");
            }
            inputOutpoints.add(in.prevout());
        }
        if (c.extended()) {
            prevouts = c.efPrevouts();
            if (prevouts.size() != inputs.size()) {
                return SubmitOutcome.error(txid, ArcErrorCode.MALFORMED, "extended format carries " + prevouts.size() + " prevouts for " + inputs.size() + " inputs");
            }
        } else {
            prevouts = new ArrayList<>(inputs.size());
            for (Outpoint op : inputOutpoints) {
                TxOutput found = lookupOutput(op, earlier);
                if (found == null) {
                    return SubmitOutcome.error(txid, ArcErrorCode.NOT_EXTENDED_FORMAT,
                            "parent transaction " + op.txid().hex() + " not found: send Extended Format");
                }
                prevouts.add(found);
            }
        }
        long sumIn = 0;
        for (TxOutput p : prevouts) {
            sumIn += p.value().value();
        }
        if (sumIn < sumOut) {
            return SubmitOutcome.error(txid, ArcErrorCode.INPUTS, "inputs (" + sumIn + ") are less than outputs (" + sumOut + ")");
        }
        if (!options.skipFeeValidation() && !options.skipTxValidation()) {
            long expected = rules.feeRate().feeFor(size).value();
            long actual = sumIn - sumOut;
            if (actual < expected) {
                return SubmitOutcome.error(txid, ArcErrorCode.FEE_TOO_LOW, "minimum expected fee: " + expected + ", actual fee: " + actual);
            }
        }
        if (!skipScripts) {
            for (int i = 0; i < inputs.size(); i++) {
                TxOutput p = prevouts.get(i);
                String why;
                try {
                    why = Signatures.p2pkhInputError(tx, i, p.script(), p.value());
                } catch (RuntimeException e) {
                    why = "script evaluation failed: " + e.getMessage();
                }
                if (why != null) {
                    return SubmitOutcome.error(txid, ArcErrorCode.UNLOCKING_SCRIPTS,
                            "unlocking script of input " + i + " failed: " + why);
                }
            }
        }
        return new TxEntry(c.txid(), c.raw(), prevouts, inputOutpoints, outputs, false, null);
    }

    private TxOutput lookupOutput(Outpoint op, Map<Txid, Candidate> earlier) {
        Coin coin = coins.get(op);
        if (coin != null) {
            return new TxOutput(Satoshis.of(coin.value), coin.script);
        }
        Candidate parent = earlier.get(op.txid());
        if (parent != null && op.vout() < parent.tx().outputs().size()) {
            return parent.tx().outputs().get(op.vout());
        }
        return null;
    }

    /** Applies one prechecked transaction. Runs under the lock. */
    private SubmitOutcome commit(TxEntry e, long now, ArrayDeque<TxEntry> freedOrphans, List<Runnable> notifications) {
        TxEntry existing = accepted.get(e.txid);
        if (existing != null) {
            e.callbacks.forEach(existing::addCallback);
            return SubmitOutcome.status(existing.view);
        }
        TxEntry previous = others.get(e.txid);
        if (previous != null && previous != e) {
            previous.callbacks.forEach(e::addCallback);
        }
        List<Coin> inCoins = new ArrayList<>(e.inputs.size());
        Set<Txid> missing = null;
        Set<String> competing = null;
        boolean competitorMined = false;
        for (int i = 0; i < e.inputs.size(); i++) {
            Outpoint op = e.inputs.get(i);
            Coin coin = coins.get(op);
            if (coin == null) {
                if (missing == null) {
                    missing = new LinkedHashSet<>();
                }
                missing.add(op.txid());
                continue;
            }
            TxOutput claimed = e.prevouts.get(i);
            if (coin.value != claimed.value().value() || !Arrays.equals(coin.script, claimed.script())) {
                return SubmitOutcome.error(e.txid.hex(), ArcErrorCode.UNLOCKING_SCRIPTS,
                        "prevout of input " + i + " does not match the output it spends (" + op + ")");
            }
            if (coin.spentBy != null) {
                if (competing == null) {
                    competing = new LinkedHashSet<>();
                }
                competing.add(coin.spentBy.hex());
                TxEntry spender = accepted.get(coin.spentBy);
                competitorMined |= spender != null && spender.view.status() == TxStatus.MINED;
            }
            inCoins.add(coin);
        }
        if (competing != null) {
            e.competing.addAll(competing);
            if (competitorMined) {
                return park(e, TxStatus.REJECTED, "double spend: an input is already spent in a mined block", notifications);
            }
            for (String winner : competing) {
                TxEntry w = accepted.get(Txid.fromHex(winner));
                losersByWinner.computeIfAbsent(w.txid, k -> new ArrayList<>()).add(e);
                if (!w.competing.contains(e.txid.hex())) {
                    w.competing.add(e.txid.hex());
                    TxView v = w.view;
                    w.view = new TxView(v.txid(), v.status(), v.blockHash(), v.blockHeight(), v.merklePath(),
                            v.extraInfo(), w.competing, v.timestamp());
                }
            }
            return park(e, TxStatus.DOUBLE_SPEND_ATTEMPTED, "competing transactions spend the same inputs", notifications);
        }
        if (missing != null) {
            for (Txid parent : missing) {
                List<TxEntry> waiting = orphansByParent.computeIfAbsent(parent, k -> new ArrayList<>());
                if (!waiting.contains(e)) {
                    waiting.add(e);
                }
            }
            if (e.view != null && e.view.status() == TxStatus.SEEN_IN_ORPHAN_MEMPOOL && others.get(e.txid) == e) {
                return SubmitOutcome.status(e.view); // still waiting for a parent
            }
            return park(e, TxStatus.SEEN_IN_ORPHAN_MEMPOOL, "missing inputs", notifications);
        }
        int depth = 1;
        for (Coin c : inCoins) {
            depth = Math.max(depth, c.depth + 1);
        }
        if (depth > rules.maxChainDepth()) {
            return park(e, TxStatus.REJECTED, "too-long-mempool-chain: " + depth + " unconfirmed ancestors, the limit is "
                    + rules.maxChainDepth(), notifications);
        }
        if (faults.forceReject()) {
            return park(e, TxStatus.REJECTED, "forced rejection (fault injection)", notifications);
        }
        // accepted
        for (Coin c : inCoins) {
            c.spentBy = e.txid;
        }
        addOutputs(e, depth);
        others.remove(e.txid);
        long heldMs = faults.orphanForMs() > 0 ? faults.orphanForMs() : faults.storedForMs();
        TxStatus status = faults.orphanForMs() > 0 ? TxStatus.SEEN_IN_ORPHAN_MEMPOOL
                : faults.storedForMs() > 0 ? TxStatus.STORED : TxStatus.SEEN_ON_NETWORK;
        e.view = new TxView(e.txid.hex(), status, null, null, null, heldMs > 0 ? "held by fault injection" : "",
                e.competing, Instant.ofEpochMilli(now));
        if (heldMs > 0) {
            e.heldUntilMillis = now + heldMs;
            scheduler.schedule(() -> promote(e), heldMs, TimeUnit.MILLISECONDS);
        }
        notify(e, notifications);
        List<TxEntry> waiting = orphansByParent.remove(e.txid);
        if (waiting != null) {
            freedOrphans.addAll(waiting);
        }
        return SubmitOutcome.status(e.view);
    }

    private void addOutputs(TxEntry e, int depth) {
        e.depth = depth;
        e.seq = ++seq;
        for (int i = 0; i < e.outputs.size(); i++) {
            TxOutput o = e.outputs.get(i);
            coins.put(new Outpoint(e.txid, i), new Coin(o.value().value(), o.script(), e.faucet ? 0 : depth));
        }
        mempool.put(e.txid, e);
        accepted.put(e.txid, e);
        acceptOrder.add(e);
    }

    /** Records a transaction that was not accepted, with its status. Runs under the lock. */
    private SubmitOutcome park(TxEntry e, TxStatus status, String info, List<Runnable> notifications) {
        e.view = new TxView(e.txid.hex(), status, null, null, null, info, e.competing, Instant.now());
        others.put(e.txid, e);
        notify(e, notifications);
        return SubmitOutcome.status(e.view);
    }

    private void promote(TxEntry e) {
        List<Runnable> notifications = new ArrayList<>();
        lock.lock();
        try {
            TxStatus s = e.view.status();
            if (mempool.get(e.txid) == e && (s == TxStatus.SEEN_IN_ORPHAN_MEMPOOL || s == TxStatus.STORED)) {
                e.heldUntilMillis = 0;
                e.view = e.view.withStatus(TxStatus.SEEN_ON_NETWORK, "");
                notify(e, notifications);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        notifications.forEach(Runnable::run);
    }

    /** Queues callbacks for the entry's current view: final statuses to every target, others to full-update targets. */
    private void notify(TxEntry e, List<Runnable> notifications) {
        if (e.callbacks.isEmpty()) {
            return;
        }
        TxView view = e.view;
        boolean fin = view.status() == TxStatus.MINED || view.status() == TxStatus.REJECTED;
        List<CallbackTarget> targets = new ArrayList<>(e.callbacks.size());
        for (CallbackTarget t : e.callbacks) {
            if (fin || t.fullStatusUpdates()) {
                targets.add(t);
            }
        }
        if (!targets.isEmpty()) {
            notifications.add(() -> listener.statusChanged(view, targets));
        }
    }

    // ------------------------------------------------------------------ waiting and reading

    /** An unspent output and the height of the block that holds its transaction (0: not mined yet). */
    public record Unspent(Outpoint outpoint, long value, long height) {
    }

    /**
     * The unspent outputs locked by {@code script} (a scan of every coin: the local chain holds thousands, and
     * address look-ups are for the few deposit addresses a test or a local run watches).
     */
    public List<Unspent> unspent(byte[] script) {
        List<Unspent> out = new ArrayList<>();
        for (Map.Entry<Outpoint, Coin> e : coins.entrySet()) {
            Coin c = e.getValue();
            if (c.spentBy == null && java.util.Arrays.equals(c.script, script)) {
                TxEntry tx = accepted.get(e.getKey().txid());
                Long height = tx == null ? null : tx.view.blockHeight();
                out.add(new Unspent(e.getKey(), c.value, height == null ? 0 : height));
            }
        }
        out.sort(java.util.Comparator.comparing((Unspent u) -> u.outpoint().txid().hex()).thenComparingInt(u -> u.outpoint().vout()));
        return out;
    }


    /** An accepted transaction's bytes and view (mempool or mined), for WhatsOnChain-shaped reads. */
    public record AcceptedTx(byte[] raw, TxView view) {
    }

    /** The accepted transaction {@code txid} (mempool or mined), or null: orphans, rejected and losers are not on the chain. */
    public AcceptedTx acceptedTx(Txid txid) {
        TxEntry e = accepted.get(txid);
        return e == null ? null : new AcceptedTx(e.raw.clone(), e.view);
    }

    /** Which accepted transaction spends an output, and with which input. */
    public record Spend(Txid txid, int vin, TxView view) {
    }

    /** The accepted transaction spending {@code outpoint}, or null while it is unspent (or unknown). */
    public Spend spender(Outpoint outpoint) {
        lock.lock();
        try {
            Coin c = coins.get(outpoint);
            if (c == null || c.spentBy == null) {
                return null;
            }
            TxEntry e = accepted.get(c.spentBy);
            if (e == null) {
                return null;
            }
            return new Spend(e.txid, e.inputs.indexOf(outpoint), e.view);
        } finally {
            lock.unlock();
        }
    }

    /** The current view of a transaction, or null if unknown. */
    public TxView view(String txidHex) {
        Txid txid;
        try {
            txid = Txid.fromHex(txidHex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        TxEntry e = accepted.get(txid);
        if (e == null) {
            e = others.get(txid);
        }
        return e == null ? null : e.view;
    }

    /**
     * Blocks until every listed transaction reached {@code waitFor} (or a status that ends a wait:
     * orphan, double spend, rejected) or the deadline passed.
     */
    public void await(List<String> txids, TxStatus waitFor, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                boolean done = true;
                for (String t : txids) {
                    TxView v = view(t);
                    if (v != null && !v.status().atLeast(waitFor) && !v.status().endsWait()) {
                        done = false;
                        break;
                    }
                }
                long left = deadlineNanos - System.nanoTime();
                if (done || left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ faucet

    /** Creates a funding transaction (a coinbase-like input) paying {@code count} outputs of {@code sats} to {@code script}. */
    public TxEntryView faucet(byte[] script, long sats, int count) {
        if (sats < 1 || count < 1 || sats > MAX_MONEY / count) {
            throw new IllegalArgumentException("faucet needs satoshis >= 1 and outputs >= 1");
        }
        byte[] tag = ByteBuffer.allocate(24).putLong(faucetCounter.incrementAndGet()).putLong(instanceNonce)
                .putLong(System.nanoTime()).array();
        List<byte[]> scripts = new ArrayList<>(count);
        List<Long> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scripts.add(script);
            values.add(sats);
        }
        byte[] raw = TxBytes.coinbaseLike(tag, scripts, values);
        RawTransaction tx = RawTransaction.parse(raw);
        TxEntry e = new TxEntry(tx.txid(), raw, List.of(), List.of(), tx.outputs(), true, null);
        lock.lock();
        try {
            addOutputs(e, 0);
            e.view = new TxView(e.txid.hex(), TxStatus.SEEN_ON_NETWORK, null, null, null, "faucet", List.of(), Instant.now());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return new TxEntryView(e.txid, raw, tx.outputs());
    }

    /** A transaction the faucet created. */
    public record TxEntryView(Txid txid, byte[] raw, List<TxOutput> outputs) {
    }

    // ------------------------------------------------------------------ blocks

    /** Mines every visible mempool transaction whose unconfirmed parents are mined with it; returns the block. */
    public Block mine() {
        List<Runnable> notifications = new ArrayList<>();
        Block block;
        lock.lock();
        try {
            List<TxEntry> included = new ArrayList<>();
            Set<Txid> inBlock = new HashSet<>();
            for (TxEntry e : mempool.values()) {
                if (e.view.status() != TxStatus.SEEN_ON_NETWORK) {
                    continue;
                }
                boolean ready = true;
                for (Outpoint op : e.inputs) {
                    TxEntry parent = accepted.get(op.txid());
                    if (parent != null && parent.view.status() != TxStatus.MINED && !inBlock.contains(parent.txid)) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    included.add(e);
                    inBlock.add(e.txid);
                }
            }
            block = appendBlock(included, Instant.now().getEpochSecond());
            for (TxEntry e : included) {
                mempool.remove(e.txid);
                for (int i = 0; i < e.outputs.size(); i++) {
                    Coin c = coins.get(new Outpoint(e.txid, i));
                    if (c != null) {
                        c.depth = 0;
                    }
                }
                notify(e, notifications);
                List<TxEntry> losers = losersByWinner.remove(e.txid);
                if (losers != null) {
                    for (TxEntry l : losers) {
                        if (others.get(l.txid) == l && l.view.status() == TxStatus.DOUBLE_SPEND_ATTEMPTED) {
                            l.view = l.view.withStatus(TxStatus.REJECTED, "double spend: competing transaction " + e.txid.hex() + " was mined");
                            notify(l, notifications);
                        }
                    }
                }
            }
            recomputeDepths();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifications.forEach(Runnable::run);
        return block;
    }

    /** Builds the block over the coinbase and {@code included}, and marks them MINED. Runs under the lock (or in the constructor). */
    private Block appendBlock(List<TxEntry> included, long time) {
        long height = blocks.size();
        long fees = 0;
        for (TxEntry e : included) {
            long in = 0;
            for (TxOutput p : e.prevouts) {
                in += p.value().value();
            }
            long out = 0;
            for (TxOutput o : e.outputs) {
                out += o.value().value();
            }
            fees += e.faucet ? 0 : in - out;
        }
        byte[] tag = ByteBuffer.allocate(24).putLong(height).putLong(instanceNonce).putLong(reorgs).array();
        byte[] coinbase = TxBytes.coinbaseLike(tag, List.of(COINBASE_SCRIPT), List.of(Math.max(1, fees)));
        byte[] coinbaseTxid = Hashes.sha256d(coinbase);
        List<byte[]> leaves = new ArrayList<>(included.size() + 1);
        List<String> txids = new ArrayList<>(included.size() + 1);
        leaves.add(coinbaseTxid);
        txids.add(Hashes.displayHex(coinbaseTxid));
        for (TxEntry e : included) {
            leaves.add(e.txid.wireBytes());
            txids.add(e.txid.hex());
        }
        MerkleTree tree = MerkleTree.build(leaves);
        String prev = blocks.isEmpty() ? Block.ZERO_HASH : blocks.get(blocks.size() - 1).hash();
        Block block = Block.of(height, prev, tree.root(), time, txids);
        Instant now = Instant.now();
        for (int i = 0; i < included.size(); i++) {
            TxEntry e = included.get(i);
            String path = HEX.formatHex(Bump.forLeaf(tree, i + 1, height));
            e.view = new TxView(e.txid.hex(), TxStatus.MINED, block.hash(), height, path, "", e.competing, now);
        }
        blocks.add(block);
        coinbases.add(coinbase);
        return block;
    }

    /** What {@link #reorg} did: the blocks that left the chain, how many transactions went back, the new block. */
    public record Reorg(List<Block> removed, int returned, Block newBlock) {
    }

    /**
     * Removes the last {@code n} blocks: their transactions go back to the mempool, ahead of what was
     * waiting there (parents stay before children), and are mined again now in one new block.
     */
    public Reorg reorg(int n) {
        return reorg(size -> {
            if (n < 1 || n >= size) {
                throw new IllegalArgumentException("can reorg 1.." + (size - 1) + " blocks, not " + n);
            }
            return n;
        });
    }

    /**
     * Removes the blocks from {@code height} up to the tip, however many there are when the lock is taken (a
     * block mined meanwhile goes too), as {@link #reorg(int)} does; 1 ≤ height ≤ the tip's height.
     */
    public Reorg reorgFrom(long height) {
        return reorg(size -> {
            if (height < 1 || height >= size) {
                throw new IllegalArgumentException("can reorg from height 1.." + (size - 1) + ", not " + height);
            }
            return (int) (size - height);
        });
    }

    /** The reorg of as many blocks as {@code count} says for the chain's length (blocks, genesis included). */
    private Reorg reorg(IntUnaryOperator count) {
        List<Block> removed = new ArrayList<>();
        int returned = 0;
        lock.lock();
        try {
            int n = count.applyAsInt(blocks.size());
            LinkedHashMap<Txid, TxEntry> back = new LinkedHashMap<>();
            for (int i = blocks.size() - n; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                removed.add(b);
                for (String t : b.txids().subList(1, b.txids().size())) {
                    TxEntry e = accepted.get(Txid.fromHex(t));
                    if (e != null) {
                        e.view = new TxView(e.txid.hex(), TxStatus.SEEN_ON_NETWORK, null, null, null, "block left the chain",
                                e.competing, Instant.now());
                        back.put(e.txid, e);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                blocks.remove(blocks.size() - 1);
                coinbases.remove(coinbases.size() - 1);
            }
            reorgs++;
            returned = back.size();
            back.putAll(mempool);
            mempool.clear();
            mempool.putAll(back);
            recomputeDepths();
        } finally {
            lock.unlock();
        }
        return new Reorg(List.copyOf(removed), returned, mine());
    }

    private void recomputeDepths() {
        for (TxEntry e : mempool.values()) {
            int depth = 1;
            for (Outpoint op : e.inputs) {
                TxEntry parent = mempool.get(op.txid());
                if (parent != null && !parent.faucet) {
                    depth = Math.max(depth, parent.depth + 1);
                }
            }
            e.depth = e.faucet ? 0 : depth;
            for (int i = 0; i < e.outputs.size(); i++) {
                Coin c = coins.get(new Outpoint(e.txid, i));
                if (c != null) {
                    c.depth = e.depth;
                }
            }
        }
    }

    /** Rejects orphans older than the orphan expiry (the node drops them; ARC reports REJECTED). */
    public void expireOrphans(long nowMillis) {
        List<Runnable> notifications = new ArrayList<>();
        lock.lock();
        try {
            for (TxEntry e : others.values()) {
                if (e.view.status() == TxStatus.SEEN_IN_ORPHAN_MEMPOOL
                        && nowMillis - e.receivedAtMillis >= rules.orphanExpiryMillis()) {
                    e.view = e.view.withStatus(TxStatus.REJECTED, "missing inputs: orphan expired");
                    notify(e, notifications);
                }
            }
            orphansByParent.values().removeIf(list -> {
                list.removeIf(o -> o.view.status() != TxStatus.SEEN_IN_ORPHAN_MEMPOOL);
                return list.isEmpty();
            });
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifications.forEach(Runnable::run);
    }

    public Block tip() {
        lock.lock();
        try {
            return blocks.get(blocks.size() - 1);
        } finally {
            lock.unlock();
        }
    }

    /** The block at {@code height}, or null. */
    public Block block(long height) {
        lock.lock();
        try {
            return height >= 0 && height < blocks.size() ? blocks.get((int) height) : null;
        } finally {
            lock.unlock();
        }
    }

    public Block blockByHash(String hash) {
        lock.lock();
        try {
            for (Block b : blocks) {
                if (b.hash().equalsIgnoreCase(hash)) {
                    return b;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Counts for /admin/stats and the benchmarks. */
    public record Stats(long height, int mempool, int accepted, int orphans, int doubleSpendAttempts, int rejected,
                        int utxos) {
    }

    public Stats stats() {
        lock.lock();
        try {
            int orphans = 0;
            int ds = 0;
            int rejected = 0;
            for (TxEntry e : others.values()) {
                switch (e.view.status()) {
                    case SEEN_IN_ORPHAN_MEMPOOL -> orphans++;
                    case DOUBLE_SPEND_ATTEMPTED -> ds++;
                    default -> rejected++;
                }
            }
            int unspent = 0;
            for (Coin c : coins.values()) {
                if (c.spentBy == null) {
                    unspent++;
                }
            }
            return new Stats(blocks.size() - 1, mempool.size(), accepted.size(), orphans, ds, rejected, unspent);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ export and restore

    /** Every accepted transaction with its prevouts, and every block: the export and the state file. */
    public LedgerState export() {
        lock.lock();
        try {
            List<LedgerState.BlockRecord> bs = new ArrayList<>(blocks.size());
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                bs.add(new LedgerState.BlockRecord(b.height(), b.hash(), b.prevHash(), b.merkleRoot(), b.time(),
                        b.txids(), HEX.formatHex(coinbases.get(i))));
            }
            List<LedgerState.TxRecord> txs = new ArrayList<>(acceptOrder.size());
            for (TxEntry e : acceptOrder) {
                List<LedgerState.Prevout> ps = new ArrayList<>(e.prevouts.size());
                for (int i = 0; i < e.prevouts.size(); i++) {
                    TxOutput p = e.prevouts.get(i);
                    Outpoint op = e.inputs.get(i);
                    ps.add(new LedgerState.Prevout(op.txid().hex(), op.vout(), p.value().value(), HEX.formatHex(p.script())));
                }
                TxView v = e.view;
                txs.add(new LedgerState.TxRecord(e.txid.hex(), HEX.formatHex(e.raw), e.faucet, ps, v.status().name(),
                        v.blockHash(), v.blockHeight(), v.merklePath()));
            }
            return new LedgerState(1, bs, txs);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the (fresh) ledger's contents with a saved state; transactions are trusted, not re-validated. */
    public void restore(LedgerState state) {
        lock.lock();
        try {
            blocks.clear();
            coinbases.clear();
            for (LedgerState.BlockRecord b : state.blocks()) {
                blocks.add(new Block(b.height(), b.hash(), b.prevHash(), b.merkleRoot(), b.time(), b.txids()));
                coinbases.add(HEX.parseHex(b.coinbaseRawTx()));
            }
            for (LedgerState.TxRecord t : state.transactions()) {
                byte[] raw = HEX.parseHex(t.rawTx());
                RawTransaction tx = RawTransaction.parse(raw);
                List<TxOutput> prevouts = new ArrayList<>();
                List<Outpoint> inputs = new ArrayList<>();
                for (LedgerState.Prevout p : t.prevouts()) {
                    prevouts.add(new TxOutput(Satoshis.of(p.satoshis()), HEX.parseHex(p.lockingScript())));
                    inputs.add(new Outpoint(Txid.fromHex(p.txid()), p.vout()));
                }
                TxEntry e = new TxEntry(tx.txid(), raw, prevouts, inputs, tx.outputs(), t.faucet(), null);
                TxStatus status = TxStatus.valueOf(t.txStatus());
                if (status != TxStatus.MINED) {
                    status = TxStatus.SEEN_ON_NETWORK;
                }
                for (Outpoint op : inputs) {
                    Coin c = coins.get(op);
                    if (c != null) {
                        c.spentBy = e.txid;
                    }
                }
                addOutputs(e, 1);
                e.view = new TxView(e.txid.hex(), status, t.blockHash(), t.blockHeight(), t.merklePath(), "",
                        List.of(), Instant.now());
                if (status == TxStatus.MINED) {
                    mempool.remove(e.txid);
                    for (int i = 0; i < e.outputs.size(); i++) {
                        coins.get(new Outpoint(e.txid, i)).depth = 0;
                    }
                }
            }
            recomputeDepths();
        } finally {
            lock.unlock();
        }
    }
}
