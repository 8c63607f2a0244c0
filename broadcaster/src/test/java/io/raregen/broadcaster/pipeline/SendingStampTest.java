package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.ratelimit.LocalRateLimiter;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.TestKit;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sending stamp ({@code sending_started_at}) keeps the rescuer away from a send in progress. A chunk
 * sent right after its batch was stored needs no stamp (its {@code signed_at} does that job); a chunk that
 * waited for rate-limit tokens gets one. Real Postgres and the local chain.
 */
class SendingStampTest {

    @Test
    void chunksSentRightAfterTheStore_areNotStamped() throws Exception {
        try (TestKit kit = new TestKit().withChain()) {
            kit.fundPool(60, 1000);
            kit.insertJobs(40);
            PublishPipeline p = kit.pipeline(kit.fastPipeline(), recovery(Duration.ofMinutes(5)), RateLimiter.unlimited(),
                    null, null, PipelineHooks.NONE, "prompt");
            p.start();
            try {
                assertEquals(40, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", 40, Duration.ofSeconds(30)));
            } finally {
                p.close();
            }
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE sending_started_at IS NOT NULL"),
                    "no extra write per job when nothing waited");
        }
    }

    @Test
    void chunksThatWaitedForTokens_areStampedBeforeTheyGoOut() throws Exception {
        try (TestKit kit = new TestKit().withChain()) {
            kit.fundPool(80, 1000);
            kit.insertJobs(60);
            PipelineSettings pp = kit.fastPipeline();
            // 10 tokens now, 10 more per second: the 60 jobs of one batch go out over 5 s in chunks; stampAfter is
            // rebroadcastAfter / 3 = 1 s, so every chunk after the first second of waiting must be stamped
            PublishPipeline p = kit.pipeline(pp, recovery(Duration.ofSeconds(3)), new LocalRateLimiter(10, Duration.ofSeconds(1)),
                    null, null, PipelineHooks.NONE, "paced");
            p.start();
            try {
                assertEquals(60, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent'", 60, Duration.ofSeconds(60)));
            } finally {
                p.close();
            }
            long stamped = kit.scalar("SELECT count(*) FROM publish_jobs WHERE sending_started_at IS NOT NULL");
            assertTrue(stamped > 0 && stamped < 60, "the first chunks went out unstamped, the later ones stamped: " + stamped);
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE sending_started_at IS NOT NULL "
                    + "AND sending_started_at < signed_at + interval '1 second'"), "stamped only after waiting at least stampAfter");
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE sending_started_at IS NULL "
                    + "AND sent_at > signed_at + interval '2 seconds'"), "once a batch has waited stampAfter, every later chunk is stamped: the rescuer reads each job's own stamp");
            assertEquals(60, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"),
                    "the rescuer never stepped in: each job signed once");
        }
    }

    private static RecoverySettings recovery(Duration rebroadcastAfter) {
        RecoverySettings r = new RecoverySettings();
        r.setReconcileAfter(Duration.ofMillis(200));
        r.setReconcileInterval(Duration.ofMillis(200));
        r.setRebroadcastAfter(rebroadcastAfter);
        return r;
    }
}
