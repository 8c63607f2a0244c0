package io.raregen.broadcaster.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two gauges the CloudWatch alarms read: consecutive broadcast failures and stuck jobs. */
class AlarmMetricsTest {

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void consecutiveFailures_countsUnknownAndRejected_resetsOnAccepted_ignoresInFlight() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        metrics.outcome("UNKNOWN", null);
        metrics.outcome("REJECTED", "ARC_465");
        metrics.outcome("IN_FLIGHT", null);
        metrics.outcome("UNKNOWN", null);
        assertEquals(3, metrics.consecutiveFailures());
        assertEquals(3.0, registry.get("raregen.broadcast.consecutive.failures").gauge().value());
        metrics.outcome("ACCEPTED", null);
        assertEquals(0.0, registry.get("raregen.broadcast.consecutive.failures").gauge().value());
    }

    @Test
    void stuckJobs_countsOnlyProcessingAndSignedOlderThanThreshold() throws Exception {
        String pubkey = "02" + "11".repeat(32);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('" + pubkey + "')");
            for (int i = 0; i < 6; i++) {
                s.execute("INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)"
                        + " VALUES ('JOB" + i + "', '" + pubkey + "', 'n" + i + "', '{}', 's', '" + "0".repeat(64) + "')");
            }
            // JOB0 processing for an hour: stuck. JOB1 processing for a second: not yet.
            s.execute("UPDATE publish_jobs SET status = 'processing', processing_at = now() - interval '1 hour'"
                    + " WHERE job_id = 'JOB0'");
            s.execute("UPDATE publish_jobs SET status = 'processing', processing_at = now() WHERE job_id = 'JOB1'");
            // JOB2 signed an hour ago and never sent: stuck. JOB3 signed an hour ago and sent: not stuck. JOB5 signed an
            // hour ago in a batch recorded sent (V47; its row stays signed): not stuck.
            s.execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B1', 2, 'broadcasting')");
            s.execute("INSERT INTO publish_batches (batch_id, job_count, status, sent_at) VALUES ('B2', 1, 'completed', now())");
            for (String id : new String[]{"JOB2", "JOB3", "JOB5"}) {
                s.execute("UPDATE publish_jobs SET status = 'processing', processing_at = now() WHERE job_id = '" + id + "'");
                s.execute("UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x01', txid = '" + id.charAt(3)
                        + "'||repeat('a', 63), signed_at = now() - interval '1 hour', processing_batch_id = '"
                        + (id.equals("JOB5") ? "B2" : "B1") + "' WHERE job_id = '" + id + "'");
            }
            s.execute("UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = 'JOB3'");
            // JOB4 stays queued: the reconciler's business, not a stuck job.
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StuckJobsGauge gauge = new StuckJobsGauge(db.dataSource(), Duration.ofMinutes(5), registry);

        assertEquals(2, gauge.refresh());
        assertEquals(2.0, registry.get("raregen.jobs.stuck").gauge().value());
    }
}
