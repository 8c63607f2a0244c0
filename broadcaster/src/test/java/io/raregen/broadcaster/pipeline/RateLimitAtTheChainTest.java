package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.ratelimit.RateLimitSettings;
import io.raregen.broadcaster.ratelimit.PostgresRateLimiter;
import io.raregen.broadcaster.support.ArrivalWindows;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.localchain.Arrival;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared rate limit seen from outside: while one or two broadcasters drain a backlog through one Postgres bucket,
 * the local chain's own arrival stamps (taken when each request is received) never hold more transactions in a 3 s
 * window than the bucket allows, capacity + rate × 3 s, with the bucket's default arrival spread. Whatever the broadcasters record about their own sends, this
 * is what the network's rate limit counts.
 */
class RateLimitAtTheChainTest extends ChainAndQueue {
    static final int N = 700;
    // 100 tx/s; with the default arrival spread (1 s) the bucket holds at most 100
    static final long CAPACITY = 200;
    static final Duration PERIOD = Duration.ofSeconds(2);
    static final Duration SPREAD = new RateLimitSettings().getArrivalSpread();
    static final Duration WINDOW = Duration.ofSeconds(3);

    @Test
    void oneBroadcaster_theChainNeverSeesMoreThanTheBucketAllows() throws Exception {
        drain(List.of("a"));
    }

    @Test
    void twoBroadcasters_sharingOneBucket_theChainNeverSeesMoreThanTheBucketAllows() throws Exception {
        drain(List.of("a", "b"));
        assertEquals(2, kit.scalar("SELECT count(DISTINCT instance_id) FROM publish_batches"), "both instances claimed batches");
    }

    private void drain(List<String> instances) throws Exception {
        kit.fundPool(N + 20, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(N);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);
        PipelineSettings pp = kit.fastPipeline();
        pp.setMaxBatchSize(100);
        List<PublishPipeline> pipelines = new ArrayList<>();
        for (String id : instances) {
            pipelines.add(kit.pipeline(pp, kit.fastRecovery(), new PostgresRateLimiter(kit.ds, "arc", CAPACITY, PERIOD, SPREAD),
                    sqs.client, queue, PipelineHooks.NONE, id));
        }
        pipelines.forEach(PublishPipeline::start);
        try {
            assertEquals(N, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", N, Duration.ofSeconds(60)));
        } finally {
            for (PublishPipeline p : pipelines) {
                p.close();
            }
        }
        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);

        List<Arrival> arrivals = kit.chain.arrivals();
        assertTrue(arrivals.size() >= N, "every transaction reached the chain: " + arrivals.size());
        int max = ArrivalWindows.maxInWindow(arrivals, WINDOW);
        long bound = ArrivalWindows.bucketBound(CAPACITY, PERIOD, WINDOW);
        // printed, not logged: the measurement is the point of the test (surefire keeps it in the report)
        System.out.printf("rate limit at the chain: %d broadcaster(s), %d arrivals, at most %d in a %s window (bound %d)%n",
                instances.size(), arrivals.size(), max, WINDOW, bound);
        assertTrue(max <= bound, "the chain saw " + max + " transactions in one " + WINDOW + " window; the bucket allows " + bound);
        // the drain pressed against the limit (a drain slower than the limit would pass vacuously): more than the
        // sustained rate alone allows in a window, so the burst was used too
        assertTrue(max > CAPACITY * WINDOW.toMillis() / PERIOD.toMillis(), "the limit was reached: " + max);
    }
}
