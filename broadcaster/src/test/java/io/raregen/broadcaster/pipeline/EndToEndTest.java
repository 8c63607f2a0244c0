package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.QueueMessages;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.JobIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Jobs in Postgres, messages in ElasticMQ, the local chain over HTTP: the whole pipeline, then I1–I6 by query. */
class EndToEndTest extends ChainAndQueue {
    @Test
    void pipeline_drainsQueuedJobs_everyJobSentOnceWithAnAcceptedTxid() throws Exception {
        int n = 300;
        kit.fundPool(n + 20, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);

        PipelineSettings pp = kit.fastPipeline();
        pp.setBacklogClaim(false); // queue-only: every job must come through its message
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "e2e");
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(90)));
        } finally {
            p.close();
        }
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
        assertEquals(List.of("queued>signed", "signed>sent"),
                kit.strings("SELECT DISTINCT from_status || '>' || to_status FROM publish_job_transitions WHERE from_status IS NOT NULL ORDER BY 1"));
        assertEquals(0, sqs.depth(queue), "every message deleted once its jobs were claimed");
    }

    @Test
    void pipeline_everyMessageDeliveredThreeTimes_publishesEachJobOnce() throws Exception {
        int n = 200;
        kit.fundPool(n + 20, 1000);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        List<String> thrice = new ArrayList<>(ids);
        thrice.addAll(ids);
        thrice.addAll(ids);
        sqs.sendJobIds(queue, thrice);
        PipelineSettings pp = kit.fastPipeline();
        pp.setBacklogClaim(false);
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "dup");
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(90)));
            assertEquals(0, kit.awaitScalar("SELECT 0", 0, Duration.ZERO));
            long deadline = System.currentTimeMillis() + 20_000;
            while (sqs.depth(queue) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
        } finally {
            p.close();
        }
        Invariants.assertAllPublished(kit, ids);
        assertEquals(n, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "each job signed exactly once");
        assertEquals(0, sqs.depth(queue), "duplicates acknowledged");
    }

    @Test
    void pipeline_withBacklogClaim_publishesJobsWhoseMessagesWereLost() throws Exception {
        int n = 250;
        kit.fundPool(n + 20, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids.subList(0, 1)); // one wake-up; the rest never got a message
        PublishPipeline p = kit.pipeline(kit.fastPipeline(), kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue,
                PipelineHooks.NONE, "backlog");
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(90)));
        } finally {
            p.close();
        }
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
    }

    @Test
    void pipeline_messagesNamingManyJobs_spreadOverSeveralBatches_everyJobSentAndEveryMessageDeleted() throws Exception {
        int n = 300;
        kit.fundPool(n + 20, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        // 6 messages of 50 ids each (the intake's packed form), batches of 40: most messages span two batches
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i += 50) {
            bodies.add(QueueMessages.body(JobIds.of(ids.subList(i, i + 50))));
        }
        sqs.sendBodies(queue, bodies);

        PipelineSettings pp = kit.fastPipeline();
        pp.setBacklogClaim(false); // queue-only: every job must come through its message
        pp.setMaxBatchSize(40);
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "packed");
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(90)));
            awaitEmpty(queue);
        } finally {
            p.close();
        }
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
        assertEquals(n, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
        assertEquals(0, sqs.depth(queue), "each message deleted once the last of its jobs was claimed");
    }

    @Test
    void pipeline_poisonMessages_areDeletedAndDoNotStopTheFlow() throws Exception {
        kit.fundPool(20, 1000);
        List<String> ids = kit.insertJobs(5);
        String queue = sqs.createQueue();
        // unparseable; ids that are no JobId (a word, lower case, a time part past 48 bits, a packed message with one
        // bad id among real ones); a valid id of no job: each is poison, deleted and counted
        sqs.sendBodies(queue, List.of("not json", "{\"jobId\":\"nope\"}", "{\"jobId\":\"01arz3ndektsv4rrffq69g5fav\"}",
                "{\"jobId\":\"81ARZ3NDEKTSV4RRFFQ69G5FAV\"}", "{\"jobIds\":[\"" + ids.get(0) + "\",\"nope\"]}",
                "{\"jobId\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"}"));
        sqs.sendJobIds(queue, ids);
        PipelineSettings pp = kit.fastPipeline();
        pp.setBacklogClaim(false);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "poison",
                registry);
        p.start();
        try {
            assertEquals(5, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", 5, Duration.ofSeconds(30)));
            awaitEmpty(queue);
        } finally {
            p.close();
        }
        assertEquals(0, sqs.depth(queue), "poison deleted, not retried forever");
        assertEquals(6.0, registry.get("raregen.poison.messages").counter().count(), "every poison message counted once");
    }

    @Test
    void gracefulShutdown_finishesTheBatchesInHand_andLeavesNothingHalfDone() throws Exception {
        int n = 300;
        kit.fundPool(n + 20, 1000);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);
        PipelineSettings pp = kit.fastPipeline();
        pp.setBacklogClaim(false);
        pp.setMaxBatchSize(50);
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "stop");
        p.start();
        kit.awaitScalar("SELECT least(count(*), 1) FROM job_states WHERE status = 'sent'", 1, Duration.ofSeconds(30));
        p.close();
        assertEquals(0, kit.scalar("SELECT count(*) FROM job_states WHERE status IN ('processing', 'signed')"),
                "every claimed job was finished, none left in the middle");
        assertEquals(n, kit.scalar("SELECT count(*) FROM job_states WHERE status IN ('queued', 'sent')"));
        Invariants.assertTransitionsLegal(kit);
    }

    /** Deletions follow the claims asynchronously: give the acker up to 10 s. */
    private void awaitEmpty(String queue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (sqs.depth(queue) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }
}
