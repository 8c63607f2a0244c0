package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;
import io.raregen.localchain.Arrival;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V47: a batch whose transactions all went out in its first pass is recorded sent once — its sent_at and one audit
 * row — and its job rows stay signed until mined; every reader takes such a job as sent. A batch with a transaction
 * left behind (a crash here) is sent job by job by the rescuer, then closed.
 */
class SentOncePerBatchTest {
    static final int N = 120;
    TestKit kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private List<String> start(int jobs) {
        kit = new TestKit().withChain(b -> b.manualMining());
        kit.fundPool(jobs + 20, 1000);
        return kit.insertJobs(jobs);
    }

    private static void offer(PublishPipeline p, List<String> ids) {
        ids.forEach(id -> p.collector().offerNow(Incoming.fromLoop(new JobId(id))));
    }

    @Test
    void aBatchSentWhole_isRecordedOnce_rowsStaySignedUntilMined_andTheRescuerLeavesItAlone() throws Exception {
        List<String> ids = start(N);
        long poolBefore = Invariants.poolSats(kit);
        PublishPipeline p = kit.pipeline(kit.fastPipeline(), kit.fastRecovery(), RateLimiter.unlimited(), null, null,
                PipelineHooks.NONE, "whole");
        p.start();
        try {
            offer(p, ids);
            assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", N, Duration.ofSeconds(60)));
            // past rebroadcast-after (2 s) and several rescuer and tracker rounds
            Thread.sleep(3_500);

            assertEquals(N, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed' AND sent_at IS NULL"),
                    "no job row was rewritten sent");
            long batches = kit.scalar("SELECT count(DISTINCT processing_batch_id) FROM publish_jobs");
            assertEquals(batches, kit.scalar("SELECT count(*) FROM publish_batches WHERE sent_at IS NOT NULL AND status = 'completed'"));
            assertEquals(batches, kit.scalar("SELECT count(*) FROM publish_job_transition_sets WHERE to_status = 'sent'"),
                    "one audit row per batch");
            assertEquals(N, kit.scalar("SELECT count(DISTINCT job_id) FROM publish_job_transitions WHERE from_status = 'signed' "
                    + "AND to_status = 'sent'"));
            assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'sent'"), "each job once");
            assertEquals(0, kit.scalar("SELECT count(*) FROM job_states s JOIN publish_jobs j USING (job_id) "
                    + "JOIN publish_batches b ON b.batch_id = j.processing_batch_id WHERE s.sent_at IS DISTINCT FROM b.sent_at"),
                    "a job was sent at its batch's sent_at");

            Map<String, Integer> arrivals = new HashMap<>();
            for (Arrival a : kit.chain.arrivals()) {
                arrivals.merge(a.txid(), 1, Integer::sum);
            }
            for (String txid : kit.strings("SELECT txid FROM publish_jobs")) {
                assertEquals(1, arrivals.getOrDefault(txid, 0), "sent once, never re-sent by the rescuer: " + txid);
            }
            assertTrue(kit.store.takeSignedForRebroadcast(Duration.ZERO, 1000, kit.poolKey.p2pkhLockingScript()).isEmpty(),
                    "a job of a sent batch is not the rescuer's");
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE sending_started_at IS NOT NULL"));

            // a re-send recorded job by job (the rescuer's way) rewrites the row but is no change of status: no audit row
            String one = ids.get(0);
            Txid txid = Txid.fromHex(kit.strings("SELECT txid FROM publish_jobs WHERE job_id = '" + one + "'").get(0));
            assertEquals(1, kit.store.markSent(Map.of(new JobId(one), txid)).size());
            assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'sent'"));

            kit.chain.mineBlock();
            assertEquals(N, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined'", N, Duration.ofSeconds(60)));
        } finally {
            p.close();
        }
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs j JOIN publish_batches b ON b.batch_id = j.processing_batch_id "
                + "WHERE j.job_id <> '" + ids.get(0) + "' AND j.sent_at IS DISTINCT FROM b.sent_at"), "a mined row keeps its batch's sent_at");
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE from_status = 'sent' AND to_status = 'mined'"),
                "mined from sent, in the audit");
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
    }

    @Test
    void aBatchLeftBehind_isNotRecordedWhole_theRescuerSendsItsJobsOneByOne_thenClosesIt() throws Exception {
        List<String> ids = start(40);
        long poolBefore = Invariants.poolSats(kit);
        RecoverySettings off = kit.fastRecovery();
        off.setEnabled(false);
        PipelineHooks dies = new PipelineHooks() {
            @Override
            public void afterBroadcast(BatchId batchId) {
                throw new PipelineHooks.SimulatedCrash("after the broadcast");
            }
        };
        PublishPipeline a = kit.pipeline(kit.fastPipeline(), off, RateLimiter.unlimited(), null, null, dies, "dies");
        a.start();
        offer(a, ids);
        assertEquals(40, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed'", 40, Duration.ofSeconds(60)));
        Thread.sleep(300);
        a.kill();

        assertEquals(0, kit.scalar("SELECT count(*) FROM job_states WHERE status = 'sent'"), "nothing recorded sent");
        String batch = kit.strings("SELECT processing_batch_id FROM publish_jobs ORDER BY job_id LIMIT 1").get(0);
        assertEquals(0, kit.scalar("SELECT record_batch_sent('" + batch + "', ARRAY['" + ids.get(0) + "']::varchar[])"),
                "not every signed job of the batch named: nothing written");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches WHERE sent_at IS NOT NULL"));
        PublishJobStore store = kit.store;
        assertEquals(0, store.closeSentBatches(Duration.ZERO), "a batch with signed jobs stays open");

        PublishPipeline b = kit.pipeline(kit.fastPipeline(), kit.fastRecovery(), RateLimiter.unlimited(), null, null,
                PipelineHooks.NONE, "fresh");
        b.start();
        try {
            assertEquals(40, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE status = 'sent'", 40, Duration.ofSeconds(60)),
                    "re-sent by the rescuer, each row moved to sent");
            assertEquals(0, kit.awaitScalar("SELECT count(*) FROM publish_batches WHERE sent_at IS NULL", 0, Duration.ofSeconds(30)),
                    "then the rescuer closes the batches");
        } finally {
            b.close();
        }
        assertEquals(40, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'sent'"), "each job once");
        assertEquals(40, kit.scalar("SELECT count(*) FROM job_states WHERE status = 'sent'"));
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
    }
}
