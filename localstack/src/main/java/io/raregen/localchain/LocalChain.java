package io.raregen.localchain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.localchain.arc.ArcServer;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.callbacks.CallbackDispatcher;
import io.raregen.localchain.faults.FaultSettings;
import io.raregen.localchain.faults.Faults;
import io.raregen.localchain.ledger.Ledger;
import io.raregen.localchain.ledger.LedgerState;
import io.raregen.localchain.state.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ARC-compatible local BSV chain: ledger, mempool, blocks, callbacks and fault injection
 * behind ARC's HTTP API. Start one in a test with {@code LocalChain.start(config)} and point the
 * ARC client at {@link #arcUrl()}; {@link #close()} stops it (and writes the state file, if any).
 */
public final class LocalChain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChain.class);

    private final LocalChainConfig config;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final Faults faults;
    private final CallbackDispatcher callbacks;
    private final Ledger ledger;
    private final ArcServer server;
    private final StateFile stateFile;
    private final List<Door> doors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * Another ARC endpoint onto this chain, as a second ARC provider is another door onto the same
     * network: what one door accepts, every door reports. Its fault switches are its own.
     */
    public record Door(String name, String arcUrl, Faults faults, ArcServer server) {
    }

    private LocalChain(LocalChainConfig config) throws IOException {
        this.config = config;
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "localchain-sched-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.faults = new Faults(config.faults());
        this.callbacks = new CallbackDispatcher(scheduler, json, config.callbackMaxAttempts(),
                config.callbackInitialBackoff(), config.callbackMaxBackoff());
        this.ledger = new Ledger(new Ledger.Rules(new io.raregen.core.tx.FeeRate(config.feeSatoshis(), config.feeBytes()),
                config.maxChainDepth(), config.maxTxSize(), config.skipScriptValidation(),
                config.orphanExpiry().toMillis()), faults, callbacks, scheduler);
        this.stateFile = config.stateFile() == null ? null : new StateFile(config.stateFile(), json);
        if (stateFile != null && stateFile.exists()) {
            ledger.restore(stateFile.read());
            LOG.info("local chain state loaded from {} (height {})", stateFile.path(), ledger.tip().height());
        }
        this.server = new ArcServer(this, config, ledger, faults, json);
    }

    /** Starts a chain: binds the HTTP port, loads the state file if configured, starts block and persistence timers. */
    public static LocalChain start(LocalChainConfig config) {
        try {
            LocalChain chain = new LocalChain(config);
            chain.server.start();
            chain.startTimers();
            LOG.info("local chain listening on {}", chain.arcUrl());
            return chain;
        } catch (IOException e) {
            throw new UncheckedIOException("local chain could not start", e);
        }
    }

    private void startTimers() {
        long interval = config.blockInterval().toMillis();
        if (interval > 0) {
            scheduler.scheduleWithFixedDelay(this::mineQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(() -> ledger.expireOrphans(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
        if (stateFile != null && !config.persistInterval().isZero()) {
            long p = config.persistInterval().toMillis();
            scheduler.scheduleWithFixedDelay(this::saveQuietly, p, p, TimeUnit.MILLISECONDS);
        }
    }

    private void mineQuietly() {
        try {
            Block b = ledger.mine();
            LOG.debug("mined block {} with {} transactions", b.height(), b.txids().size() - 1);
        } catch (RuntimeException e) {
            LOG.warn("mining failed", e);
        }
    }

    private void saveQuietly() {
        try {
            saveState();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write state file {}", config.stateFile(), e);
        }
    }

    /** Base URL of the ARC API, e.g. {@code http://127.0.0.1:9090} (the client appends /v1/...). */
    public String arcUrl() {
        return "http://" + config.host() + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Opens another door onto this chain on {@code port} (0: any free port), with its own fault switches (none at first). */
    public Door openDoor(String name, int port) {
        Faults doorFaults = new Faults(FaultSettings.NONE);
        ArcServer s = new ArcServer(this, config, ledger, doorFaults, json, true, port, server.arrivals());
        try {
            s.start();
        } catch (IOException e) {
            throw new UncheckedIOException("door " + name + " could not start", e);
        }
        Door d = new Door(name, "http://" + config.host() + ":" + s.port(), doorFaults, s);
        doors.add(d);
        LOG.info("local chain door {} listening on {}", name, d.arcUrl());
        return d;
    }

    /** The doors opened so far. */
    public List<Door> doors() {
        return List.copyOf(doors);
    }

    public LocalChainConfig config() {
        return config;
    }

    /** Creates a funding output of {@code sats} paying {@code lockingScript} (in the mempool until the next block). */
    public FaucetOutput faucet(byte[] lockingScript, long sats) {
        return faucet(lockingScript, sats, 1).get(0);
    }

    /** One funding transaction with {@code count} outputs of {@code sats} each, all paying {@code lockingScript}. */
    public List<FaucetOutput> faucet(byte[] lockingScript, long sats, int count) {
        Ledger.TxEntryView f = faucetTx(lockingScript, sats, count);
        List<FaucetOutput> out = new ArrayList<>(count);
        for (int i = 0; i < f.outputs().size(); i++) {
            TxOutput o = f.outputs().get(i);
            out.add(new FaucetOutput(new Utxo(new Outpoint(f.txid(), i), o.value(), o.script()), f.raw()));
        }
        return out;
    }

    /** The faucet's transaction itself (used by the admin endpoint). */
    public Ledger.TxEntryView faucetTx(byte[] lockingScript, long sats, int count) {
        return ledger.faucet(lockingScript, sats, count);
    }

    /** Mines a block now with every transaction that is ready. */
    public Block mineBlock() {
        return ledger.mine();
    }

    /**
     * A reorg: the last {@code blocks} blocks leave the chain, their transactions go back to the
     * mempool and are mined again at once in one new block (a different hash at the first removed height).
     */
    public Ledger.Reorg reorg(int blocks) {
        return ledger.reorg(blocks);
    }

    /**
     * A reorg of the blocks from {@code height} up to the tip, counted when it happens: a block mined since the
     * caller last looked leaves the chain too.
     */
    public Ledger.Reorg reorgFrom(long height) {
        return ledger.reorgFrom(height);
    }

    /** The current status of a transaction, as GET /v1/tx/{txid} reports it; null if unknown. */
    public TxView status(String txid) {
        return ledger.view(txid);
    }

    public TxView status(io.raregen.core.types.Txid txid) {
        return ledger.view(txid.hex());
    }

    /** The live fault switches. */
    public Faults faults() {
        return faults;
    }

    public Block tip() {
        return ledger.tip();
    }

    public Block block(long height) {
        return ledger.block(height);
    }

    /**
     * Every transaction submitted through ARC's API so far, with the moment its request was received, in arrival
     * order: the network's own view of a client's rate (faucet payments are not submissions and are not listed).
     */
    public List<Arrival> arrivals() {
        return server.arrivals().all();
    }

    public Ledger.Stats stats() {
        return ledger.stats();
    }

    /** Every accepted transaction with its prevouts, and every block (GET /admin/export). */
    public LedgerState export() {
        return ledger.export();
    }

    /** Callback delivery counters (delivered, failed attempts, abandoned). */
    public CallbackDispatcher callbacks() {
        return callbacks;
    }

    /** Writes the state file now (no-op without --state-file). */
    public void saveState() throws IOException {
        if (stateFile != null) {
            stateFile.write(ledger.export());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        doors.forEach(d -> d.server().close());
        server.close();
        scheduler.shutdownNow();
        saveQuietly();
    }
}
