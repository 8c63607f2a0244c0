package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.ratelimit.PostgresRateLimiter;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.localchain.Arrival;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two broadcasters on one database and one queue: no job published twice, and one rate limit for both. */
class TwoInstancesTest {

    @Test
    void twoInstances_shareTheWorkAndTheRateLimit_withoutDoublePublication() throws Exception {
        int n = 300;
        long capacity = 100;
        try (TestKit kit = new TestKit().withChain(); LocalSqs sqs = new LocalSqs()) {
            kit.fundPool(n + 20, 1000);
            long poolBefore = Invariants.poolSats(kit);
            List<String> ids = kit.insertJobs(n);
            String queue = sqs.createQueue();
            List<String> twice = new ArrayList<>(ids);
            twice.addAll(ids);
            sqs.sendJobIds(queue, twice);

            PipelineSettings pp = kit.fastPipeline();
            pp.setMaxBatchSize(50);
            PublishPipeline a = kit.pipeline(pp, kit.fastRecovery(),
                    new PostgresRateLimiter(kit.ds, "arc", capacity, Duration.ofSeconds(1)), sqs.client, queue, PipelineHooks.NONE, "a");
            PublishPipeline b = kit.pipeline(pp, kit.fastRecovery(),
                    new PostgresRateLimiter(kit.ds, "arc", capacity, Duration.ofSeconds(1)), sqs.client, queue, PipelineHooks.NONE, "b");
            a.start();
            b.start();
            try {
                assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(90)));
            } finally {
                a.close();
                b.close();
            }
            Invariants.assertAllPublished(kit, ids);
            Invariants.assertConservation(kit, poolBefore);
            assertEquals(n, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
            assertTrue(kit.scalar("SELECT count(DISTINCT instance_id) FROM publish_batches") == 2, "both instances claimed batches");
            // a shared bucket of 100 per second lets at most 100 + 100/s × t through: the first jobs are sent at
            // once, the last 200 need 2 more seconds. Two separate buckets (100 + 100/s each) would have sent all
            // 300 within about 0.5 s of the first.
            // measured where the pace matters: when the transactions reached the network
            long first = kit.chain.arrivals().stream().mapToLong(Arrival::atMillis).min().orElse(0);
            long last = kit.chain.arrivals().stream().mapToLong(Arrival::atMillis).max().orElse(0);
            long spanMs = last - first;
            assertTrue(spanMs >= 1_500, "the shared limit paced both instances: " + spanMs + " ms");
        }
    }
}
