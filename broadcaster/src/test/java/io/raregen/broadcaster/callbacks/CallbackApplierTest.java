package io.raregen.broadcaster.callbacks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.Broadcasting;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.keys.ConfiguredServiceKeys;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.replenish.PoolTransactionStore;
import io.raregen.broadcaster.replenish.Replenisher;
import io.raregen.broadcaster.replenish.ReplenisherSettings;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.broadcaster.utxo.Payer;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback loop against real Postgres, with jobs the pipeline really sent to the in-process chain. */
class CallbackApplierTest {
    private static final String BLOCK_A = "a1".repeat(32);
    private static final String BLOCK_B = "b2".repeat(32);
    private static final Random RANDOM = new Random();

    static TestKit kit;
    static PublishPipeline pipeline;

    @BeforeAll
    static void setUp() {
        kit = new TestKit().withChain(b -> b.fee(1, 1000));
        kit.fundPool(300, 2_000);
        var rp = kit.fastRecovery();
        // no confirmation polling: mined may only come from the callbacks under test
        rp.setEnabled(false);
        pipeline = kit.pipeline(kit.fastPipeline(), rp, RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "callbacks");
        pipeline.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        pipeline.close();
        kit.close();
    }

    @BeforeEach
    void emptyInbox() {
        kit.sql("DELETE FROM arc_callbacks");
    }

    private static CallbackApplier applier(SimpleMeterRegistry registry, int batchSize) {
        return new CallbackApplier(new CallbackInbox(kit.dataSource()), pipeline.applier(), kit.pool, registry,
                Duration.ofSeconds(1), batchSize);
    }

    /** Sends {@code n} fresh jobs through the pipeline; returns their ids once all are sent. */
    private static List<String> sentJobs(int n) throws InterruptedException {
        List<String> ids = kit.insertJobs(n);
        ids.forEach(id -> pipeline.collector().offerNow(Incoming.fromLoop(new JobId(id))));
        assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent' AND job_id IN ("
                + Invariants.in(ids) + ")", n, Duration.ofSeconds(60)));
        return ids;
    }

    private static String txidOf(String jobId) {
        return kit.strings("SELECT txid FROM publish_jobs WHERE job_id = '" + jobId + "'").get(0);
    }

    private static String statusOf(String jobId) {
        return kit.strings("SELECT status FROM job_states WHERE job_id = '" + jobId + "'").get(0);
    }

    private static String randomTxid() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void insertCallback(String txid, String status, String blockHash, Integer height, String merkleHex,
                                       String competingTxs, String extraInfo) {
        kit.sql("INSERT INTO arc_callbacks (txid, tx_status, block_hash, block_height, merkle_path, competing_txs, extra_info) "
                + "VALUES ('" + txid + "', '" + status + "', " + quoted(blockHash) + ", " + height + ", "
                + (merkleHex == null ? "NULL" : "'\\x" + merkleHex + "'") + ", "
                + (competingTxs == null ? "NULL" : "ARRAY['" + competingTxs + "']") + ", " + quoted(extraInfo) + ")");
    }

    /**
     * A one-level BRC-74 path for {@code txid} at {@code height} whose sibling duplicates it: it holds the txid and
     * computes a root, which is all the applier can check without block headers.
     */
    static String bump(String txid, int height) {
        byte[] leaf = io.raregen.core.types.Txid.fromHex(txid).wireBytes();
        StringBuilder h = new StringBuilder();
        if (height < 0xfd) {
            h.append(String.format("%02x", height));
        } else {
            h.append("fe").append(String.format("%02x%02x%02x%02x", height & 0xff, (height >> 8) & 0xff, (height >> 16) & 0xff, height >>> 24));
        }
        return h + "01" + "02" + "0002" + HexFormat.of().formatHex(leaf) + "0101";
    }

    private static String quoted(String s) {
        return s == null ? "NULL" : "'" + s + "'";
    }

    private static List<String> outcomes() {
        return kit.strings("SELECT outcome FROM arc_callbacks ORDER BY callback_id");
    }

    private static double counted(SimpleMeterRegistry registry, String outcome) {
        Counter c = registry.find("raregen.arc.callbacks").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void mined_movesTheSentJobToMinedWithTheCallbacksBlockData_andResetsItsChangeDepth() throws Exception {
        List<String> ids = sentJobs(2);
        String txid = txidOf(ids.get(0));
        String other = txidOf(ids.get(1));
        assertTrue(kit.scalar("SELECT count(*) FROM utxos WHERE txid = '" + txid + "' AND chain_depth > 0") > 0,
                "the sent transaction's change is unconfirmed before the callback");
        insertCallback(txid, "MINED", BLOCK_A, 123, bump(txid, 123), null, null);
        // negative control: a status on the way to mined changes nothing
        insertCallback(other, "SEEN_ON_NETWORK", null, null, null, null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(2, applier(registry, 500).runOnce());

        assertEquals(List.of("mined", "ignored"), outcomes());
        assertEquals(0, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE applied_at IS NULL"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE job_id = '" + ids.get(0) + "' AND status = 'mined' "
                + "AND block_hash = '" + BLOCK_A + "' AND block_height = 123 AND merkle_path = '\\x" + bump(txid, 123) + "'::bytea"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE txid = '" + txid + "' AND (chain_depth <> 0 OR block_height <> 123)"),
                "change outputs of the mined transaction are confirmed at the callback's height");
        assertEquals("sent", statusOf(ids.get(1)), "SEEN_ON_NETWORK leaves the job sent");
        assertEquals(1.0, counted(registry, "mined"));
        assertEquals(1.0, counted(registry, "ignored"));
        assertEquals(0, applier(registry, 500).runOnce(), "nothing left to apply");
    }

    @Test
    void mined_withoutAPathThatProvesTheTransaction_isUnproven_andTheJobStaysSent() throws Exception {
        List<String> ids = sentJobs(4);
        String none = txidOf(ids.get(0));
        String garbage = txidOf(ids.get(1));
        String othersPath = txidOf(ids.get(2));
        String wrongHeight = txidOf(ids.get(3));
        insertCallback(none, "MINED", BLOCK_A, 40, null, null, null);
        insertCallback(garbage, "MINED", BLOCK_A, 40, "beef01", null, null);
        insertCallback(othersPath, "MINED", BLOCK_A, 40, bump(randomTxid(), 40), null, null);
        insertCallback(wrongHeight, "MINED", BLOCK_A, 40, bump(wrongHeight, 41), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(4, applier(registry, 500).runOnce());

        assertEquals(List.of("unproven", "unproven", "unproven", "unproven"), outcomes());
        for (String id : ids) {
            assertEquals("sent", statusOf(id), "a callback without a proof never marks a job mined");
        }
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE txid IN ('" + none + "', '" + garbage + "', '"
                + othersPath + "', '" + wrongHeight + "') AND chain_depth = 0"), "nor confirms its change");
        assertEquals(4.0, counted(registry, "unproven"));
    }

    @Test
    void duplicateMined_forAnAlreadyMinedJob_isNoJobInFlight_andKeepsTheFirstBlock() throws Exception {
        String jobId = sentJobs(1).get(0);
        String txid = txidOf(jobId);
        insertCallback(txid, "MINED", BLOCK_A, 200, bump(txid, 200), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertEquals(1, applier(registry, 500).runOnce());
        // ARC delivers at least once, and again with other block data after a reorg
        kit.sql("UPDATE arc_callbacks SET applied_at = NULL, outcome = NULL");
        insertCallback(txid, "MINED", BLOCK_B, 201, bump(txid, 201), null, null);

        assertEquals(2, applier(registry, 500).runOnce());

        // the txid's key holds only jobs in flight (V58): a mined job's callbacks find no job, and change nothing
        assertEquals(List.of("no_job", "no_job"), outcomes());
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE job_id = '" + jobId + "' AND status = 'mined' "
                + "AND block_hash = '" + BLOCK_A + "' AND block_height = 200"));
        assertEquals(1.0, counted(registry, "mined"));
        assertEquals(2.0, counted(registry, "no_job"));
    }

    @Test
    void aCallbacksJobLookUp_goesThroughTheKeyOverJobsInFlight_withoutTheKeyOverEveryJob() throws Exception {
        String jobId = sentJobs(1).get(0);
        String txid = txidOf(jobId);
        try (Connection c = kit.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                // GIVEN the schema since V59 (no key over every job's txid), and no sequential scan to fall back on
                s.execute("SET LOCAL enable_seqscan = off");
                String scans = "SELECT pg_stat_get_xact_numscans('publish_jobs_txid_in_flight'::regclass) || ' ' "
                        + "|| pg_stat_get_xact_numscans('publish_jobs'::regclass)";
                String[] before = scalarText(s, scans).split(" ");

                // WHEN a callback's transaction is looked up
                var job = new CallbackInbox.ConnectionLookups(c).jobByTxid(Txid.fromHex(txid));

                // THEN its job is found through the key over the jobs in flight, not by scanning the table
                assertEquals(jobId, job.orElseThrow().jobId().value());
                String[] after = scalarText(s, scans).split(" ");
                assertEquals(Long.parseLong(before[0]) + 1, Long.parseLong(after[0]), "one scan of publish_jobs_txid_in_flight");
                assertEquals(before[1], after[1], "no sequential scan of publish_jobs");
            } finally {
                c.rollback();
            }
        }
    }

    private static String scalarText(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void mined_forAJobStillSigned_isIgnored_soThePoolIsNeverBehindTheJob() throws Exception {
        // an instance whose broadcasts never get an answer: the job stays signed, its input reserved
        ArcSettings dead = kit.arcProperties();
        dead.setUrl("http://127.0.0.1:1");
        var rp = kit.fastRecovery();
        rp.setEnabled(false);
        PublishPipeline offline = new PublishPipeline(new PublishPipeline.Parts(kit.fastPipeline(), rp, "offline", kit.store,
                new Payer(kit.pool, kit.poolKey, new ArcFeePolicy(dead, new FeeRate(100, 1000))),
                new Broadcasting(new ArcTransactionBroadcaster(dead), RateLimiter.unlimited(), 500, false), null,
                new PipelineMetrics(new SimpleMeterRegistry()), new Heartbeats(), PipelineHooks.NONE));
        String jobId = kit.insertJobs(1).get(0);
        try {
            offline.start();
            offline.collector().offerNow(Incoming.fromLoop(new JobId(jobId)));
            assertEquals(1, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed' AND txid IS NOT NULL "
                    + "AND job_id = '" + jobId + "'", 1, Duration.ofSeconds(30)));
        } finally {
            offline.close();
        }
        assertEquals("signed", statusOf(jobId));
        String txid = txidOf(jobId);
        String inputs = "SELECT count(*) FROM utxos u JOIN spends s ON s.outpoint_txid = u.txid AND s.outpoint_vout = u.vout "
                + "WHERE s.spending_txid = '" + txid + "' AND u.status = 'reserved'";
        long reservedBefore = kit.scalar(inputs);
        assertTrue(reservedBefore > 0, "the signed transaction's input is reserved");
        insertCallback(txid, "MINED", BLOCK_A, 9, bump(txid, 9), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(1, applier(registry, 500).runOnce());

        assertEquals(List.of("ignored"), outcomes());
        assertEquals("signed", statusOf(jobId), "left to the rescuer, whose re-send records sent (pool update), then mined");
        assertEquals(reservedBefore, kit.scalar(inputs));
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE txid = '" + txid + "'"), "no change added before sent");
    }

    @Test
    void mined_forAnUnknownTxid_isNoJob_andChangesNothing() {
        long minedBefore = kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined'");
        long confirmedBefore = kit.scalar("SELECT count(*) FROM utxos WHERE chain_depth = 0");
        String unknown = randomTxid();
        insertCallback(unknown, "MINED", BLOCK_A, 5, bump(unknown, 5), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(1, applier(registry, 500).runOnce());

        assertEquals(List.of("no_job"), outcomes());
        assertEquals(minedBefore, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined'"));
        assertEquals(confirmedBefore, kit.scalar("SELECT count(*) FROM utxos WHERE chain_depth = 0"));
        assertEquals(1.0, counted(registry, "no_job"));
    }

    @Test
    void mined_forOneOfThePoolsOwnSplits_confirmsItInThePool() {
        KeyPair funding = KeyPair.generate();
        var coin = kit.chain.faucet(funding.p2pkhLockingScript(), 50_000);
        kit.pool.add(List.of(coin.utxo()), UtxoPool.Purpose.FUNDING, 1);
        ReplenisherSettings settings = new ReplenisherSettings();
        settings.setMinPoolSize(1_000_000);
        settings.setSplitBatchSize(20);
        settings.setMaxOutputsPerTx(20);
        Replenisher replenisher = new Replenisher(new PoolTransactionStore(kit.pool),
                new ArcTransactionBroadcaster(kit.arcProperties()), () -> FeeRate.perKb(1),
                new ConfiguredServiceKeys(kit.poolKey, funding, Network.REGTEST), settings, new SimpleMeterRegistry());
        assertEquals(1, replenisher.runOnce().accepted());
        String split = kit.strings("SELECT txid FROM pool_transactions WHERE kind = 'split' AND status = 'sent'").get(0);
        assertTrue(kit.scalar("SELECT count(*) FROM utxos WHERE txid = '" + split + "' AND chain_depth > 0") > 0,
                "the split's outputs are unconfirmed before the callback");
        insertCallback(split, "MINED", BLOCK_A, 77, bump(split, 77), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(1, applier(registry, 500).runOnce());

        assertEquals(List.of("pool_mined"), outcomes());
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE txid = '" + split + "' AND (chain_depth <> 0 OR block_height <> 77)"));
        assertEquals(List.of("mined"), kit.strings("SELECT status FROM pool_transactions WHERE txid = '" + split + "'"));
        assertEquals(1.0, counted(registry, "pool_mined"));
    }

    @Test
    void rejectedOrDoubleSpent_leavesTheJobAsItIs_forAnOperator() throws Exception {
        List<String> ids = sentJobs(2);
        String rejected = txidOf(ids.get(0));
        String doubleSpent = txidOf(ids.get(1));
        long unconfirmedBefore = kit.scalar("SELECT count(*) FROM utxos WHERE txid IN ('" + rejected + "', '" + doubleSpent
                + "') AND chain_depth > 0");
        insertCallback(rejected, "REJECTED", null, null, null, null, "arc error 461: non-standard");
        insertCallback(doubleSpent, "DOUBLE_SPEND_ATTEMPTED", null, null, null, randomTxid(), "double spend attempted");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertEquals(2, applier(registry, 500).runOnce());

        assertEquals(List.of("operator", "operator"), outcomes());
        assertEquals("sent", statusOf(ids.get(0)));
        assertEquals("sent", statusOf(ids.get(1)));
        assertEquals(rejected, txidOf(ids.get(0)), "the stored transaction is kept");
        assertEquals(doubleSpent, txidOf(ids.get(1)));
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE dirty"), "no input marked dirty");
        assertEquals(unconfirmedBefore, kit.scalar("SELECT count(*) FROM utxos WHERE txid IN ('" + rejected + "', '"
                + doubleSpent + "') AND chain_depth > 0"));
        assertEquals(2.0, counted(registry, "operator"));
    }

    @Test
    void twoAppliersAtOnce_applyEveryRowExactlyOnce() throws Exception {
        List<String> ids = sentJobs(20);
        for (String id : ids) {
            insertCallback(txidOf(id), "MINED", BLOCK_B, 300, bump(txidOf(id), 300), null, null);
        }
        for (int i = 0; i < 100; i++) {
            String unknown = randomTxid();
            insertCallback(unknown, "MINED", BLOCK_B, 300, bump(unknown, 300), null, null);
        }
        for (int i = 0; i < 80; i++) {
            insertCallback(randomTxid(), "SEEN_ON_NETWORK", null, null, null, null, null);
        }
        assertEquals(200, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE applied_at IS NULL"));
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        CallbackInbox inbox = new CallbackInbox(kit.dataSource());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> a = threads.submit(drain(applier(registryA, 7), inbox, go));
            Future<Integer> b = threads.submit(drain(applier(registryB, 7), inbox, go));
            go.countDown();
            int byA = a.get();
            int byB = b.get();
            assertEquals(200, byA + byB, "stamped rows across both instances (" + byA + " + " + byB + "): none taken twice");
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE applied_at IS NULL OR outcome IS NULL"));
        assertEquals(20, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE outcome = 'mined'"));
        assertEquals(100, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE outcome = 'no_job'"));
        assertEquals(80, kit.scalar("SELECT count(*) FROM arc_callbacks WHERE outcome = 'ignored'"));
        assertEquals(20, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined' AND block_hash = '" + BLOCK_B
                + "' AND job_id IN (" + Invariants.in(ids) + ")"));
        for (String outcome : List.of("mined", "no_job", "ignored")) {
            assertEquals(kit.scalar("SELECT count(*) FROM arc_callbacks WHERE outcome = '" + outcome + "'"),
                    (long) (counted(registryA, outcome) + counted(registryB, outcome)), outcome + " counted once per row");
        }
    }

    /** Runs rounds until nothing is pending; returns how many rows this instance stamped. */
    private static Callable<Integer> drain(CallbackApplier applier, CallbackInbox inbox, CountDownLatch go) {
        return () -> {
            go.await();
            int total = 0;
            // bounded so a row that could never be applied fails the test instead of hanging it
            long giveUp = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (inbox.pendingCount() > 0 && System.nanoTime() < giveUp) {
                total += applier.runOnce();
            }
            return total;
        };
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private static void insertApplied(String txid, String appliedAgo) {
        kit.sql("INSERT INTO arc_callbacks (txid, tx_status, received_at, applied_at, outcome) VALUES ('" + txid
                + "', 'SEEN_ON_NETWORK', now() - interval '" + appliedAgo + "', now() - interval '" + appliedAgo + "', 'ignored')");
    }

    @Test
    void prune_deletesOnlyCallbacksAppliedLongerThanTheRetentionAgo_andOnlyAsOftenAsConfigured() {
        String old = randomTxid();
        String recent = randomTxid();
        String pendingOld = randomTxid();
        insertApplied(old, "8 days");
        insertApplied(recent, "6 days");
        kit.sql("INSERT INTO arc_callbacks (txid, tx_status, received_at) VALUES ('" + pendingOld
                + "', 'SEEN_ON_NETWORK', now() - interval '30 days')");
        ManualClock clock = new ManualClock();
        CallbackApplier applier = new CallbackApplier(new CallbackInbox(kit.dataSource()), pipeline.applier(), kit.pool,
                new SimpleMeterRegistry(), Duration.ofSeconds(1), 500, Duration.ofDays(7), Duration.ofMinutes(10), 20, clock);

        applier.runOnce();

        assertEquals(List.of(), kit.strings("SELECT txid FROM arc_callbacks WHERE txid = '" + old + "'"), "pruned");
        assertEquals(1, kit.strings("SELECT txid FROM arc_callbacks WHERE txid = '" + recent + "'").size(), "within retention");
        assertEquals(List.of("ignored"), kit.strings("SELECT outcome FROM arc_callbacks WHERE txid = '" + pendingOld + "'"),
                "an old but pending callback is applied, never pruned unapplied");

        // a second old one right after: not pruned until the prune interval has passed
        String older = randomTxid();
        insertApplied(older, "9 days");
        applier.runOnce();
        assertEquals(1, kit.strings("SELECT txid FROM arc_callbacks WHERE txid = '" + older + "'").size());
        clock.advance(Duration.ofMinutes(11));
        applier.runOnce();
        assertEquals(List.of(), kit.strings("SELECT txid FROM arc_callbacks WHERE txid = '" + older + "'"));
    }

    @Test
    void aCallbackThatKeepsFailing_isClosedAsFailedAfterMaxAttempts_andStopsHoldingUpTheQueue() {
        String stuck = randomTxid();
        insertCallback(stuck, "MINED", BLOCK_A, 7, null, null, null);
        CallbackInbox inbox = new CallbackInbox(kit.dataSource());
        CallbackInbox.Handler failing = (p, lookups) -> java.util.Optional.empty();

        assertEquals(Map.of(), inbox.applyPending(10, 3, failing));
        assertEquals(Map.of(), inbox.applyPending(10, 3, failing));
        assertEquals(List.of("2"), kit.strings("SELECT attempts::text FROM arc_callbacks WHERE txid = '" + stuck + "'"));
        assertEquals(1, inbox.pendingCount(), "still pending after 2 of 3 attempts");

        Map<Long, String> third = inbox.applyPending(10, 3, failing);

        assertEquals(List.of(CallbackInbox.FAILED), List.copyOf(third.values()));
        assertEquals(List.of(CallbackInbox.FAILED), outcomes());
        assertEquals(0, inbox.pendingCount());
    }
}
