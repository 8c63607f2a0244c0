package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.utxo.PoolSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's conservation audit ({@code funded = unspent + fees + retired}) is exact at any moment, not only at rest:
 * snapshots taken again and again while a backlog drains through ARC answers held 150 ms (so transactions sit between
 * signed and sent) all balance to the satoshi.
 */
class ConservationDuringDrainTest extends ChainAndQueue {
    @Test
    void everySnapshotTakenDuringADrain_balancesToTheSatoshi() throws Exception {
        int n = 400;
        kit.fundPool(n + 20, 1000);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);
        kit.chain.faults().latencyMs(150);

        AtomicBoolean draining = new AtomicBoolean(true);
        AtomicInteger snapshots = new AtomicInteger();
        List<String> gaps = Collections.synchronizedList(new ArrayList<>());
        Thread sampler = new Thread(() -> {
            while (draining.get()) {
                PoolSnapshot s = kit.pool.snapshot();
                snapshots.incrementAndGet();
                if (s.conservationGapSats() != 0) {
                    gaps.add(s.conservationGapSats() + " sats (funded " + s.fundedSats() + ", unspent " + s.totalUnspentSats()
                            + ", fees " + s.feesPaidSats() + ", retired " + s.retiredSats() + ")");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "conservation-sampler");

        PipelineSettings pp = kit.fastPipeline();
        PublishPipeline p = kit.pipeline(pp, kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "audit");
        sampler.start();
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", n, Duration.ofSeconds(120)));
        } finally {
            draining.set(false);
            sampler.join(10_000);
            p.close();
        }
        assertTrue(snapshots.get() >= 20, "the audit ran during the drain: " + snapshots.get() + " snapshots");
        assertEquals(List.of(), gaps.size() > 10 ? gaps.subList(0, 10) : gaps,
                gaps.size() + " of " + snapshots.get() + " snapshots did not balance");
        assertEquals(0, kit.pool.snapshot().conservationGapSats(), "at rest");
    }
}
