package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcaster dies at each crash window; a fresh instance on the same database must finish every
 * job, with the txid that was stored before the crash wherever one was stored.
 */
class CrashWindowsTest {
    static final int N = 200;
    TestKit kit;
    long poolBefore;
    List<String> ids;

    @BeforeEach
    void setUp() {
        kit = new TestKit().withChain();
        kit.fundPool(N + 20, 1000);
        poolBefore = Invariants.poolSats(kit);
        ids = kit.insertJobs(N);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Runs instance A until every job got past {@code reachedSql}, with a hook that crashes each batch. */
    private void crashFirstInstance(PipelineHooks hooks, String reachedSql) throws Exception {
        crashFirstInstance(hooks, reachedSql, false);
    }

    private void crashFirstInstance(PipelineHooks hooks, String reachedSql, boolean awaitChain) throws Exception {
        PublishPipeline a = startCrashing(hooks);
        assertEquals(N, kit.awaitScalar(reachedSql, N, Duration.ofSeconds(60)), "instance A reached the crash window");
        if (awaitChain) {
            // the broadcast is on the wire: wait until the network has every transaction before dying
            long deadline = System.currentTimeMillis() + 30_000;
            while (storedTxids().values().stream().anyMatch(t -> kit.chain.status(t) == null) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(200);
        }
        a.kill();
    }

    private PublishPipeline startCrashing(PipelineHooks hooks) {
        RecoverySettings off = kit.fastRecovery();
        off.setEnabled(false);
        PublishPipeline a = kit.pipeline(kit.fastPipeline(), off, RateLimiter.unlimited(), null, null, hooks, "crashing");
        a.start();
        ids.forEach(id -> a.collector().offerNow(Incoming.fromLoop(new JobId(id))));
        return a;
    }

    /**
     * Runs instance A with every batch crashing at {@code window} until at least one did (and the batches then in
     * flight too), then kills it. Returns how many batches crashed.
     */
    private int crashEveryBatchAt(String window) throws Exception {
        AtomicInteger crashes = new AtomicInteger();
        PublishPipeline a = startCrashing(crashing(w -> {
            if (w.equals(window)) {
                crashes.incrementAndGet();
                throw new PipelineHooks.SimulatedCrash("at " + w);
            }
        }));
        long deadline = System.currentTimeMillis() + 30_000;
        while (crashes.get() < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        a.kill();
        return crashes.get();
    }

    private void finishWithFreshInstance() throws Exception {
        RecoverySettings rp = kit.fastRecovery();
        // the dead instance's leases must lapse for its reserved-but-unsigned UTXOs to return
        kit.sql("UPDATE utxos SET reserved_until = now() WHERE status = 'reserved' AND reserved_by = 'crashing'");
        PublishPipeline b = kit.pipeline(kit.fastPipeline(), rp, RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "fresh");
        b.start();
        try {
            assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", N, Duration.ofSeconds(60)));
        } finally {
            b.close();
        }
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
    }

    private Map<String, String> storedTxids() {
        Map<String, String> m = new HashMap<>();
        for (String row : kit.strings("SELECT job_id || ' ' || txid FROM publish_jobs WHERE txid IS NOT NULL")) {
            String[] p = row.split(" ");
            m.put(p[0], p[1]);
        }
        return m;
    }

    private static PipelineHooks crashing(Consumer<String> where) {
        return new PipelineHooks() {
            @Override
            public void afterClaim(BatchId batchId) {
                where.accept("claim");
            }

            @Override
            public void beforeStore(BatchId batchId) {
                where.accept("sign");
            }

            @Override
            public void afterStore(BatchId batchId) {
                where.accept("store");
            }

            @Override
            public void afterBroadcast(BatchId batchId) {
                where.accept("broadcast");
            }
        };
    }

    private static PipelineHooks crashAt(String window) {
        return crashing(w -> {
            if (w.equals(window)) {
                throw new PipelineHooks.SimulatedCrash("after " + w);
            }
        });
    }

    @Test
    void crashAfterClaimBeforeSign_leavesNoTraceAndAFreshInstancePublishesEveryJob() throws Exception {
        // a claim is row locks in an open transaction: the crash ends it, and every claim of instance A crashes
        assertTrue(crashEveryBatchAt("claim") >= 1, "instance A claimed and crashed");
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND processing_batch_id IS NULL"),
                "every job is simply queued again");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE txid IS NOT NULL OR attempts > 0"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status <> 'queued'"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches"));
        finishWithFreshInstance();
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
    }

    @Test
    void crashAfterSignBeforeStore_leavesTheJobsQueuedAndAFreshInstancePublishesEveryJob() throws Exception {
        assertTrue(crashEveryBatchAt("sign") >= 1, "instance A signed a batch and crashed before storing it");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE txid IS NOT NULL"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends"));
        finishWithFreshInstance();
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
    }

    @Test
    void crashAfterSignedCommitBeforeBroadcast_freshInstanceSendsTheStoredBytes() throws Exception {
        crashFirstInstance(crashAt("store"), "SELECT count(*) FROM publish_jobs WHERE status = 'signed'");
        Map<String, String> before = storedTxids();
        assertEquals(N, before.size());
        for (String txid : before.values()) {
            assertEquals(null, kit.chain.status(txid), "nothing was broadcast before the crash");
        }
        finishWithFreshInstance();
        assertEquals(before, storedTxids(), "every job finished with the txid stored before the crash");
    }

    @Test
    void crashAfterBroadcastBeforeResults_freshInstanceFindsTheSameTxidsAccepted() throws Exception {
        crashFirstInstance(crashAt("broadcast"), "SELECT count(*) FROM publish_jobs WHERE status = 'signed'", true);
        Map<String, String> before = storedTxids();
        assertEquals(N, before.size());
        for (String txid : before.values()) {
            assertTrue(kit.chain.status(txid) != null, "the network has it although we never recorded the answer");
        }
        finishWithFreshInstance();
        assertEquals(before, storedTxids());
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"));
    }
}
