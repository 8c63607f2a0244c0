package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARC misbehaving in every way the local chain can: the pipeline never double-publishes and every job ends final. */
class FaultMatrixTest {
    static final int N = 60;
    TestKit kit;
    List<String> ids;
    PublishPipeline p;

    @BeforeEach
    void setUp() {
        kit = new TestKit().withChain();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (p != null) {
            p.close();
        }
        kit.close();
    }

    private void start() {
        ids = kit.insertJobs(N);
        p = kit.pipeline(kit.fastPipeline(), kit.fastRecovery(), RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "faults");
        p.start();
        ids.forEach(id -> p.collector().offerNow(Incoming.fromLoop(new JobId(id))));
    }

    private Map<String, String> txids() {
        Map<String, String> m = new HashMap<>();
        for (String row : kit.strings("SELECT job_id || ' ' || txid FROM publish_jobs WHERE txid IS NOT NULL")) {
            String[] s = row.split(" ");
            m.put(s[0], s[1]);
        }
        return m;
    }

    private void awaitSent(int n) throws InterruptedException {
        assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(60)),
                kit.strings("SELECT status || ' ' || coalesce(error_code, '') FROM publish_jobs WHERE status <> 'sent' LIMIT 5").toString());
    }

    private void assertSignedOnceEach() {
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"),
                "never re-signed: the stored bytes were the only ones sent");
    }

    @Test
    void arc5xx_thenRecovery_everyJobSentWithItsFirstTxid() throws Exception {
        kit.fundPool(N + 10, 1000);
        kit.chain.faults().errorRate(1.0).errorStatus(503);
        start();
        assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'signed'", N, Duration.ofSeconds(30)));
        Thread.sleep(500);
        kit.chain.faults().reset();
        awaitSent(N);
        Invariants.assertAllPublished(kit, ids);
        assertSignedOnceEach();
    }

    @Test
    void timeoutsAfterAcceptance_areUnknownNotFailures_andResolveToTheSameTxid() throws Exception {
        kit.fundPool(N + 10, 1000);
        kit.chain.faults().timeoutAfterAcceptRate(1.0).hangMs(8_000);
        start();
        assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'signed'", N, Duration.ofSeconds(30)));
        Map<String, String> stored = txids();
        long deadline = System.currentTimeMillis() + 20_000;
        while (stored.values().stream().anyMatch(t -> kit.chain.status(t) == null) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        kit.chain.faults().reset();
        awaitSent(N);
        assertEquals(stored, txids());
        Invariants.assertAllPublished(kit, ids);
        assertSignedOnceEach();
    }

    @Test
    void droppedResponses_areResolvedByResendingTheSameBytes() throws Exception {
        kit.fundPool(N + 10, 1000);
        kit.chain.faults().dropResponseRate(1.0);
        start();
        assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'signed'", N, Duration.ofSeconds(30)));
        Map<String, String> stored = txids();
        Thread.sleep(300);
        kit.chain.faults().reset();
        awaitSent(N);
        assertEquals(stored, txids());
        assertSignedOnceEach();
    }

    @Test
    void orphanThenAccepted_staysInFlightUntilSeen_neverReSigned() throws Exception {
        kit.fundPool(N + 10, 1000);
        kit.chain.faults().orphanForMs(1_500);
        start();
        awaitSent(N);
        kit.chain.faults().reset();
        Invariants.assertAllPublished(kit, ids);
        assertSignedOnceEach();
    }

    @Test
    void someRejections_areReSignedWithFreshUtxos_boundedly() throws Exception {
        kit.fundPool(N + 20, 1000);
        long before = Invariants.poolSats(kit);
        kit.chain.faults().rejectNext(5);
        start();
        awaitSent(N);
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, before);
        assertEquals(N + 5, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"),
                "exactly the five rejected transactions were replaced");
    }

    @Test
    void rejectionsThatNeverStop_failTheJobWithACodeAndReturnTheUtxos() throws Exception {
        kit.fundPool(N + 20, 1000);
        long available = kit.scalar("SELECT count(*) FROM utxos WHERE status = 'available'");
        kit.chain.faults().rejectRate(1.0);
        start();
        assertEquals(N, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed'", N, Duration.ofSeconds(60)));
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_jobs WHERE error_code = 'ARC_REJECTED' AND error_detail IS NOT NULL"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends"));
        assertEquals(available, kit.awaitScalar("SELECT count(*) FROM utxos WHERE status = 'available'", available, Duration.ofSeconds(5)),
                "every UTXO back in the pool");
        Invariants.assertTransitionsLegal(kit);
    }

    @Test
    void aConflictingSpendOnTheNetwork_marksTheUtxoDirtyAndReSignsTheJob() throws Exception {
        // the five smallest UTXOs are taken first, and someone else spends them on the network
        List<Utxo> small = kit.fundPool(5, 600);
        kit.fundPool(N + 10, 1000);
        ArcTransactionBroadcaster arc = new ArcTransactionBroadcaster(kit.arcProperties());
        for (Utxo u : small) {
            SignedTransaction other = PublishTransactions.build(List.of(u), kit.poolKey, kit.envelope("other-" + u, 0),
                    kit.poolKey.p2pkhLockingScript(), new FeeRate(1, 1000));
            assertEquals(BroadcastResult.Outcome.ACCEPTED, arc.broadcast(List.of(other)).get(0).outcome());
        }
        start();
        awaitSent(N);
        Invariants.assertAllPublished(kit, ids);
        assertEquals(5, kit.scalar("SELECT count(*) FROM utxos WHERE dirty AND satoshis = 600"), "conflicting outpoints marked dirty");
        assertTrue(kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE from_status = 'signed' AND to_status = 'processing'") >= 1);
    }
}
