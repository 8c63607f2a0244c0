package io.raregen.broadcaster.bench;

import io.raregen.broadcaster.anchor.AnchorSettings;
import io.raregen.broadcaster.anchor.AnchorStore;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.TestKit;

import java.time.Duration;

/**
 * Anchor-mode throughput of the broadcaster (a program, not a test): {@code rounds} times, N anchor-mode jobs are
 * queued in Postgres (rows with client-signed envelopes, as intake leaves them), then a pipeline with only the
 * anchoring window draining is started and timed until every job is {@code sent}: claim, tree, one reservation, one
 * signature, the store of the transaction with N leaf indexes and paths, the broadcast to the local chain and the
 * N jobs moved to sent. Prints records/s and the satoshis paid per record (the anchor transactions' fees / N).
 *
 * <pre>java -Xmx512m -cp … io.raregen.broadcaster.bench.AnchorBenchmark 100000 3</pre>
 */
public final class AnchorBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (TestKit kit = new TestKit().withChain(b -> b.skipScriptValidation(true))) {
            kit.fundPool(rounds + 5, 1000);
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                kit.insertJobs(n, "anchor");
                System.out.printf("round %d: %d anchor-mode jobs queued in %.1f s (signing the envelopes included)%n", round, n,
                        (System.nanoTime() - t0) / 1e9);
                long feesBefore = kit.scalar("SELECT coalesce(sum(fee_sats), 0) FROM anchor_batches");
                long batchesBefore = kit.scalar("SELECT count(*) FROM anchor_batches");
                long sentBefore = sent(kit);
                AnchorSettings settings = new AnchorSettings();
                settings.setWindow(Duration.ofMillis(100));
                PipelineSettings pp = kit.fastPipeline();
                RecoverySettings rp = kit.fastRecovery();
                rp.setEnabled(false);
                PublishPipeline p = kit.pipeline(pp, rp, RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "anchor-bench");
                p.anchorWith(settings, new AnchorStore(kit.dataSource()));
                long start = System.nanoTime();
                p.start();
                while (sent(kit) - sentBefore < n) {
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                p.close();
                long fees = kit.scalar("SELECT coalesce(sum(fee_sats), 0) FROM anchor_batches") - feesBefore;
                long batches = kit.scalar("SELECT count(*) FROM anchor_batches") - batchesBefore;
                System.out.printf("round %d: %d records anchored and sent in %.2f s = %,.0f records/s; %d anchor transaction(s), "
                                + "%d sats of fees = %.6f sat/record%n", round, n, seconds, n / seconds, batches, fees,
                        (double) fees / n);
            }
            System.out.printf("anchor batches: %s%n", kit.strings(
                    "SELECT tree_size || ' records, ' || fee_sats || ' sats, ' || length(raw_tx) || ' bytes' FROM anchor_batches ORDER BY signed_at"));
        }
        System.exit(0);
    }

    private static long sent(TestKit kit) {
        return kit.scalar("SELECT count(*) FROM publish_jobs WHERE mode = 'anchor' AND status IN ('sent', 'mined')");
    }
}
