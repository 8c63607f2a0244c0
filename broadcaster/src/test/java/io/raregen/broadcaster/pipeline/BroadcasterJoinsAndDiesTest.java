package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.ratelimit.RateLimitSettings;
import io.raregen.broadcaster.ratelimit.PostgresRateLimiter;
import io.raregen.broadcaster.support.ArrivalWindows;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.localchain.Arrival;
import io.raregen.localchain.TxStatus;
import io.raregen.localchain.TxView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two broadcasters as two ECS tasks run them: a second one starts in the middle of the first one's drain of a
 * 1,000-job backlog, then the first dies abruptly (no batch in hand finished or handed back) and the survivor
 * finishes. Every job is published exactly once, no outpoint is in two signed transactions, the pool balances, the
 * dead instance's reservations lapse, and the chain's arrival stamps stay within the shared bucket throughout.
 */
class BroadcasterJoinsAndDiesTest extends ChainAndQueue {
    static final int N = 1000;
    // 100 tx/s shared; with the default arrival spread (1 s) the bucket holds at most 100
    static final long CAPACITY = 200;
    static final Duration PERIOD = Duration.ofSeconds(2);
    static final Duration WINDOW = Duration.ofSeconds(3);
    static final String SENT = "SELECT count(*) FROM job_states WHERE status = 'sent'";

    private PublishPipeline broadcaster(String id, String queue) {
        PipelineSettings pp = kit.fastPipeline();
        pp.setMaxBatchSize(100);
        // a dead instance's leases lapse quickly (the default is minutes)
        pp.setReservationLease(Duration.ofSeconds(3));
        return kit.pipeline(pp, kit.fastRecovery(),
                new PostgresRateLimiter(kit.ds, "arc", CAPACITY, PERIOD, new RateLimitSettings().getArrivalSpread()),
                sqs.client, queue, PipelineHooks.NONE, id);
    }

    @Test
    void secondJoinsMidDrain_firstDies_survivorFinishes_everyInvariantHolds() throws Exception {
        kit.fundPool(N + 50, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(N);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);

        PublishPipeline a = broadcaster("a", queue);
        PublishPipeline b = broadcaster("b", queue);
        long sentAtKill;
        a.start();
        try {
            awaitAtLeast(SENT, 150, "the first broadcaster is draining");
            long sentBeforeJoin = kit.scalar(SENT);
            b.start();
            awaitAtLeast("SELECT count(*) FROM publish_batches WHERE instance_id = 'b'", 1, "the second broadcaster claimed work");
            awaitAtLeast(SENT, sentBeforeJoin + 150, "both broadcasters are draining");
            sentAtKill = kit.scalar(SENT);
            assertTrue(sentAtKill < N - 200, "the kill comes in the middle of the drain: " + sentAtKill + " sent");
            a.kill();
            assertEquals(N, kit.awaitScalar(SENT, N, Duration.ofSeconds(60)), "the survivor published every job");
            // the dead instance's reservations lapse (lease 3 s) and the survivor's loop returns them
            assertEquals(0, kit.awaitScalar("SELECT count(*) FROM utxos WHERE status = 'reserved'", 0, Duration.ofSeconds(15)),
                    "no reservation stuck after the lease");
        } finally {
            a.kill();
            b.close();
        }

        assertTrue(kit.scalar("SELECT count(DISTINCT instance_id) FROM publish_batches") == 2, "both instances claimed batches");
        Invariants.assertAllPublished(kit, ids); // also: no txid for two jobs, no outpoint in two stored transactions
        Invariants.assertConservation(kit, poolBefore);
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved'"), "nothing reserved at rest");

        // the chain's view: exactly one transaction per job, and it is the one each job stored
        List<Arrival> arrivals = kit.chain.arrivals();
        Set<String> accepted = new TreeSet<>();
        for (String txid : new HashSet<>(arrivals.stream().map(Arrival::txid).toList())) {
            TxView v = kit.chain.status(txid);
            if (v != null && (v.status() == TxStatus.SEEN_ON_NETWORK || v.status() == TxStatus.ACCEPTED_BY_NETWORK
                    || v.status() == TxStatus.MINED)) {
                accepted.add(txid);
            }
        }
        assertEquals(new TreeSet<>(kit.strings("SELECT txid FROM publish_jobs WHERE txid IS NOT NULL")), accepted,
                "the chain holds exactly the stored transaction of each job");
        assertEquals(N, accepted.size());

        int max = ArrivalWindows.maxInWindow(arrivals, WINDOW);
        long bound = ArrivalWindows.bucketBound(CAPACITY, PERIOD, WINDOW);
        System.out.printf("join and die: %d arrivals (%d sent before the kill), at most %d in a %s window (bound %d)%n",
                arrivals.size(), sentAtKill, max, WINDOW, bound);
        assertTrue(max <= bound, "the chain saw " + max + " transactions in one " + WINDOW + " window; the bucket allows " + bound);
    }

    private void awaitAtLeast(String sql, long atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long v = kit.scalar(sql);
        while (v < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
            v = kit.scalar(sql);
        }
        assertTrue(v >= atLeast, what + ": " + v + " < " + atLeast);
    }
}
