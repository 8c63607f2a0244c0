package io.raregen.broadcaster.replenish;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.keys.ConfiguredServiceKeys;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.utxo.DirtyUtxoChecker;
import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.PoolSnapshot;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.keys.Network;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.localchain.TxStatus;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replenisher against the in-process local chain (real ARC HTTP API, real validation) and Postgres. */
class ReplenisherTest {

    private static TestDatabase db;
    private static HikariDataSource ds;
    private static LocalChain chain;
    private static final ServiceKeys KEYS = new ConfiguredServiceKeys(PoolTestData.POOL_KEY, PoolTestData.FUNDING_KEY,
            Network.REGTEST);

    private PostgresUtxoPool pool;
    private PoolTransactionStore store;
    private ReplenisherSettings settings;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        ds = PoolTestData.pooled(db, 8);
        chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
    }

    @AfterAll
    static void stop() {
        chain.close();
        ds.close();
        db.close();
    }

    @BeforeEach
    void fresh() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE utxos, spends, pool_transactions");
        }
        pool = new PostgresUtxoPool(ds, new PoolSettings());
        store = new PoolTransactionStore(pool);
        settings = new ReplenisherSettings();
        settings.setMinPoolSize(2_000);
        settings.setSplitBatchSize(5_000);
        settings.setMaxOutputsPerTx(2_000);
    }

    private Replenisher replenisher(String arcUrl) {
        ArcSettings arc = new ArcSettings();
        arc.setUrl(arcUrl);
        return new Replenisher(store, new ArcTransactionBroadcaster(arc), () -> FeeRate.perKb(1), KEYS, settings,
                new SimpleMeterRegistry());
    }

    private FaucetOutput fund(long sats) {
        FaucetOutput f = chain.faucet(KEYS.fundingKey().p2pkhLockingScript(), sats);
        pool.add(List.of(f.utxo()), Purpose.FUNDING, 1);
        return f;
    }

    @Test
    void runOnce_whenPoolIsLow_splitsFundingIntoChainedTransactionsTheChainAccepts() throws SQLException {
        fund(1_000_000);
        Replenisher r = replenisher(chain.arcUrl());

        Replenisher.Round round = r.runOnce();

        assertEquals(3, round.transactionsSigned(), "5,000 outputs at most 2,000 per transaction");
        assertEquals(5_000, round.outputsCreated());
        assertEquals(3, round.accepted());
        PoolSnapshot s = pool.snapshot();
        assertEquals(5_000, s.publishAvailable());
        assertEquals(0, s.conservationGapSats(), "funded = unspent + fees + retired, to the satoshi");
        assertTrue(s.feesPaidSats() > 0 && s.feesPaidSats() < 300, "3 splits of ~68 kB at 1 sat/kB");
        assertEquals(1_000_000 - 500_000 - s.feesPaidSats(), s.fundingAvailableSats());
        for (String txid : poolTxids()) {
            assertTrue(chain.status(txid).status().atLeast(TxStatus.SEEN_ON_NETWORK), txid + " on the chain");
        }
        assertEquals(3, count("SELECT count(*) FROM pool_transactions WHERE kind = 'split' AND status = 'sent'"));
        assertEquals(4, count("SELECT max(chain_depth) FROM utxos WHERE purpose = 'publish'"),
                "faucet output at depth 1; each split spends the previous change: 2, 3, 4");
    }

    @Test
    void runOnce_onTwoInstancesAtOnce_splitsOnlyOnceForTheSameShortfall() throws Exception {
        fund(1_000_000);
        fund(1_000_000);
        Replenisher a = replenisher(chain.arcUrl());
        Replenisher b = replenisher(chain.arcUrl());
        var ex = java.util.concurrent.Executors.newFixedThreadPool(2);

        var fa = ex.submit(a::runOnce);
        var fb = ex.submit(b::runOnce);
        int outputs = fa.get().outputsCreated() + fb.get().outputsCreated();
        ex.shutdown();

        assertEquals(5_000, outputs, "one split round of 5,000, not two");
        assertEquals(5_000, pool.snapshot().publishAvailable());
        assertEquals(0, pool.snapshot().conservationGapSats());
    }

    @Test
    void runOnce_whenPoolIsDeepEnough_doesNothing() {
        fund(1_000_000);
        Replenisher r = replenisher(chain.arcUrl());
        r.runOnce();

        Replenisher.Round second = r.runOnce();

        assertEquals(0, second.transactionsSigned());
        assertEquals(5_000, second.depthBefore());
    }

    @Test
    void runOnce_whenTheNetworkIsUnreachable_storesFirstAndLaterSendsTheSameBytes() throws SQLException {
        fund(300_000);
        Replenisher offline = replenisher("http://127.0.0.1:9"); // nothing listens: UNKNOWN outcome

        Replenisher.Round first = offline.runOnce();

        assertEquals(2, first.transactionsSigned(), "300,000 sats pay for ~2,990 outputs: 2,000 + ~990");
        assertEquals(0, first.accepted());
        assertEquals(0, pool.snapshot().publishAvailable(), "outputs join the pool only once accepted");
        assertEquals(first.outputsCreated(), count("SELECT count(*) FROM utxos WHERE status = 'pending' AND purpose = 'publish'"));
        List<String> stored = poolTxids();

        Replenisher.Round retry = replenisher(chain.arcUrl()).runOnce();

        assertEquals(0, retry.transactionsSigned(), "pending outputs count toward depth: no second split");
        assertEquals(2, retry.accepted());
        assertEquals(stored, poolTxids(), "the very transactions stored before, not re-signed ones");
        for (String txid : stored) {
            assertNotNull(chain.status(txid), "the chain knows the stored txid " + txid);
        }
        assertEquals(first.outputsCreated(), pool.snapshot().publishAvailable());
        assertEquals(0, pool.snapshot().conservationGapSats());
    }

    @Test
    void runOnce_whenFundingWasSpentElsewhere_marksItDirtyAndTheRecheckRetiresIt() throws SQLException {
        FaucetOutput f = fund(500_000);
        // someone else spends the funding output first (same key, different transaction)
        SignedTransaction elsewhere = new TransactionBuilder().addInput(f.utxo())
                .changeTo(PoolTestData.POOL_KEY.p2pkhLockingScript()).sign(KEYS.fundingKey(), FeeRate.perKb(1));
        ArcSettings arc = new ArcSettings();
        arc.setUrl(chain.arcUrl());
        assertEquals(BroadcastResult.Outcome.ACCEPTED,
                new ArcTransactionBroadcaster(arc).broadcast(List.of(elsewhere)).get(0).outcome());

        Replenisher r = replenisher(chain.arcUrl());

        Replenisher.Round conflicted = r.runOnce();

        assertEquals(0, conflicted.accepted());
        assertEquals(conflicted.transactionsSigned(), conflicted.pending(), "a double-spend attempt is not final");
        assertEquals(1, count("SELECT count(*) FROM utxos WHERE purpose = 'funding' AND dirty"),
                "the conflicting funding UTXO is skipped until re-checked");
        assertEquals(0, pool.snapshot().publishAvailable());

        // the competitor is mined: the dirty re-check proves the funding UTXO spent elsewhere
        chain.mineBlock();
        DirtyUtxoChecker checker = new DirtyUtxoChecker(pool, new ArcTransactionBroadcaster(arc), Clock.systemUTC(),
                Duration.ZERO, Duration.ofHours(24));
        DirtyUtxoChecker.Result checked = checker.runOnce(100);

        assertEquals(1, checked.retired());
        assertEquals("retired", string("SELECT status FROM utxos WHERE purpose = 'funding' AND txid = '" + f.txid() + "'"));
        assertEquals(elsewhere.txid().hex(),
                string("SELECT spent_by_txid FROM utxos WHERE txid = '" + f.txid() + "'"));

        // the next round re-sends the stored split, which is now refused for good, and discards the chain
        Replenisher.Round after = r.runOnce();
        assertEquals(0, count("SELECT count(*) FROM pool_transactions WHERE status = 'signed'"));
        assertEquals(0, count("SELECT count(*) FROM utxos WHERE status = 'pending'"));
        assertEquals(0, count("SELECT count(*) FROM spends"), "a discarded transaction spends nothing");
        assertEquals(0, after.accepted());
        assertEquals(0, pool.snapshot().conservationGapSats(), "the retired funding counts as sent elsewhere");
    }

    private String string(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void consolidateOnce_mergesSmallChangeBackIntoFunding() throws SQLException {
        settings.setConsolidationMinInputs(10);
        settings.setConsolidationBelowSats(5);
        List<FaucetOutput> small = chain.faucet(KEYS.poolKey().p2pkhLockingScript(), 3, 50);
        pool.add(small.stream().map(FaucetOutput::utxo).toList(), Purpose.PUBLISH, 1);
        Replenisher r = replenisher(chain.arcUrl());

        Replenisher.Round round = r.consolidateOnce();

        assertEquals(1, round.accepted());
        PoolSnapshot s = pool.snapshot();
        assertEquals(0, s.publishAvailable());
        assertEquals(150 - s.feesPaidSats(), s.fundingAvailableSats());
        assertEquals(0, s.conservationGapSats());
    }

    private List<String> poolTxids() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT txid FROM pool_transactions ORDER BY created_at")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void markRejected_discardsTheTransactionAndItsStoredChildAndFreesTheirInputs() throws SQLException {
        io.raregen.core.tx.Utxo input = PoolTestData.utxo(100_000);
        pool.add(List.of(input), Purpose.PUBLISH, 1);
        byte[] script = PoolTestData.POOL_KEY.p2pkhLockingScript();
        SignedTransaction parent = new TransactionBuilder().addInput(input)
                .addOutput(new io.raregen.core.tx.TxOutput(io.raregen.core.types.Satoshis.of(40_000), script))
                .changeTo(script).sign(PoolTestData.POOL_KEY, FeeRate.perKb(1));
        io.raregen.core.tx.Utxo pendingOut = new io.raregen.core.tx.Utxo(
                new io.raregen.core.types.Outpoint(parent.txid(), 0), io.raregen.core.types.Satoshis.of(40_000), script);
        SignedTransaction child = new TransactionBuilder().addInput(pendingOut).changeTo(script)
                .sign(PoolTestData.POOL_KEY, FeeRate.perKb(1));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            store.storeSigned(c, "split", parent, List.of(Purpose.PUBLISH, Purpose.PUBLISH), 2, "test");
            c.commit();
            try (Statement st = c.createStatement()) {
                // the child's input is the parent's pending output: make it spendable for the child's store
                st.execute("UPDATE utxos SET status = 'available' WHERE txid = '" + parent.txid().hex() + "' AND vout = 0");
            }
            c.commit();
            store.storeSigned(c, "split", child, List.of(Purpose.PUBLISH), 3, "test");
            c.commit();
        }
        assertEquals(2, count("SELECT count(*) FROM spends"));

        store.markRejected(parent.txid(), "rejected 461: test");

        assertEquals(2, count("SELECT count(*) FROM pool_transactions WHERE status = 'rejected'"), "parent and child");
        assertEquals(0, count("SELECT count(*) FROM spends"), "no input stays bound to a discarded transaction");
        assertEquals(1, count("SELECT count(*) FROM utxos WHERE txid = '" + input.outpoint().txid().hex()
                + "' AND status = 'available' AND reserved_by IS NULL"), "the parent's input is free again");
        assertEquals(0, count("SELECT count(*) FROM utxos WHERE txid IN ('" + parent.txid().hex() + "', '"
                + child.txid().hex() + "') AND status = 'pending'"), "their pending outputs are gone");
    }
}
