package io.raregen.broadcaster.recovery;

import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Satoshis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryLoopsTest {
    static TestKit kit;

    @BeforeAll
    static void setUp() {
        kit = new TestKit().withChain(b -> b.fee(3, 1000));
    }

    @AfterAll
    static void tearDown() {
        kit.close();
    }

    @Test
    void reconciler_feedsOnlyQueuedJobsOlderThanTheThreshold() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<String> ids = kit.insertJobs(3);
        kit.sql("UPDATE publish_jobs SET created_at = now() - interval '31 seconds' WHERE job_id = '" + ids.get(0) + "'");
        kit.sql("UPDATE publish_jobs SET created_at = now() - interval '29 seconds' WHERE job_id = '" + ids.get(1) + "'");
        List<JobId> fed = new ArrayList<>();
        Reconciler r = new Reconciler(kit.store, i -> fed.add(i.jobId()), Duration.ofSeconds(30), Duration.ofSeconds(10), 100);
        assertEquals(1, r.runOnce());
        assertEquals(List.of(new JobId(ids.get(0))), fed);
    }

    @Test
    void reconciler_stopsFeedingWhenTheCollectorIsFull() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        kit.insertJobs(3);
        List<Incoming> fed = new ArrayList<>();
        Reconciler r = new Reconciler(kit.store, i -> fed.size() < 2 && fed.add(i), Duration.ZERO, Duration.ofSeconds(10), 100);
        assertEquals(2, r.runOnce());
    }

    @Test
    void reservationExpiry_returnsLapsedLeasesButNeverAUtxoAStoredTransactionSpends() {
        kit.fundPool(2, 1000);
        List<UtxoPool.Reservation> rs = kit.pool.reserve(List.of(
                new UtxoPool.ReservationRequest(JobId.generate(), Satoshis.of(100)),
                new UtxoPool.ReservationRequest(JobId.generate(), Satoshis.of(100))), "dead", Duration.ofMillis(1));
        assertEquals(2, rs.size());
        // the second job's input is in a stored transaction: it must stay held
        var held = rs.get(1).inputs().get(0).outpoint();
        kit.sql("INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES ('" + held.txid().hex() + "', "
                + held.vout() + ", '" + "cd".repeat(32) + "', 1000)");
        ReservationExpiry loop = new ReservationExpiry(kit.pool, Duration.ofSeconds(30),
                Clock.fixed(Instant.now().plusSeconds(5), ZoneOffset.UTC));
        assertTrue(loop.runOnce() >= 1);
        var free = rs.get(0).inputs().get(0).outpoint();
        assertEquals(1, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'available' AND txid = '" + free.txid().hex() + "' AND vout = " + free.vout()));
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'available' AND txid = '" + held.txid().hex() + "' AND vout = " + held.vout()));
    }

    @Test
    void feePolicy_readsTheRateFromArcPolicy_andKeepsTheFallbackWhenArcIsDown() {
        ArcFeePolicy fees = new ArcFeePolicy(kit.arcProperties(), new FeeRate(100, 1000));
        assertEquals(new FeeRate(100, 1000), fees.current(), "fallback until the first read");
        assertTrue(new FeeRefresh(fees, Duration.ofMinutes(5)).runOnce() == 1);
        assertEquals(new FeeRate(3, 1000), fees.current());
        var down = kit.arcProperties();
        down.setUrl("http://127.0.0.1:1");
        ArcFeePolicy unreachable = new ArcFeePolicy(down, new FeeRate(50, 1000));
        assertEquals(0, new FeeRefresh(unreachable, Duration.ofMinutes(5)).runOnce());
        assertEquals(new FeeRate(50, 1000), unreachable.current());
    }

    @Test
    void confirmationTracker_recordsBlockHashHeightAndMerklePathOfMinedJobs() throws Exception {
        kit.fundPool(5, 1000);
        List<String> ids = kit.insertJobs(3);
        var rp = kit.fastRecovery();
        rp.setEnabled(false);
        PublishPipeline p = kit.pipeline(kit.fastPipeline(), rp, RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "conf");
        p.start();
        ids.forEach(id -> p.collector().offerNow(Incoming.fromLoop(new JobId(id))));
        String in = io.raregen.broadcaster.support.Invariants.in(ids);
        assertEquals(3, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent' AND job_id IN (" + in + ")", 3, Duration.ofSeconds(30)));
        p.close();
        kit.chain.mineBlock();
        ConfirmationTracker t = new ConfirmationTracker(kit.store, new ArcTransactionBroadcaster(kit.arcProperties()), p.applier(),
                Duration.ZERO, Duration.ofSeconds(1), 100);
        assertTrue(t.runOnce() >= 3);
        assertEquals(3, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined' AND block_hash IS NOT NULL "
                + "AND block_height IS NOT NULL AND merkle_path IS NOT NULL AND job_id IN (" + in + ")"));
        assertEquals(3, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'mined' AND job_id IN (" + in + ")"),
                "one recorded sent → mined transition per job");
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos u JOIN publish_jobs j ON u.txid = j.txid WHERE j.job_id IN (" + in + ") AND u.chain_depth <> 0"),
                "change outputs of mined transactions are confirmed in the pool");
    }
}
