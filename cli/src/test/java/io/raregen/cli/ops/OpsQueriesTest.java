package io.raregen.cli.ops;

import io.raregen.core.types.Ulid;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code raregen ops}' monitoring queries on a real database. */
class OpsQueriesTest {

    private static final String PUBKEY = "02" + "cd".repeat(32);

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void batchHealth_showsTheBatchesOfJobsCreatedInTheLast10Minutes_readByTheirIds() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('" + PUBKEY + "')");
            s.execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('b-now', 2, 'completed'), "
                    + "('b-old', 1, 'completed')");
            // a job created now; one created now whose id was generated 12 minutes earlier (a slow insert); one
            // created 20 minutes ago
            insert(s, "'" + Ulid.generate() + "'", "now()", "b-now", 1);
            insert(s, "left(job_id_floor(now() - interval '12 minutes'), 10) || '0000000000000001'", "now()", "b-now", 2);
            insert(s, "left(job_id_floor(now() - interval '20 minutes'), 10) || '0000000000000002'",
                    "now() - interval '20 minutes'", "b-old", 1);

            OpsQueries.Result health = OpsQueries.all(c).get(1);

            List<Map<String, String>> rows = OpsQueries.asMaps(health);
            assertEquals(1, rows.size(), rows.toString());
            assertEquals("b-now", rows.get(0).get("batch"));
            assertEquals("2", rows.get(0).get("jobs"));
            assertEquals("sequential", rows.get(0).get("sequencing"));
        }
    }

    @Test
    void jobIdFloor_isTheSmallestUlidOfItsMillisecond_asCoreEncodesIt() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // the last microsecond of each millisecond, up to the end of year 9999
            for (long ms : new long[] {0L, 1L, 31L, 32L, 1_733_300_000_123L, 1_796_400_000_999L, 253_402_300_799_999L}) {
                try (PreparedStatement ps = c.prepareStatement("SELECT job_id_floor(?)")) {
                    Timestamp t = new Timestamp(ms);
                    t.setNanos((int) (ms % 1000) * 1_000_000 + 999_000);
                    ps.setTimestamp(1, t, Calendar.getInstance(TimeZone.getTimeZone("UTC")));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String floor = rs.getString(1);
                        assertEquals(26, floor.length(), floor);
                        assertEquals(ms, Ulid.timestampMillis(floor), floor);
                        assertEquals("0".repeat(16), floor.substring(10), floor);
                    }
                }
            }
            // an id generated now lies between the floors of the millisecond before and after
            String id = Ulid.generate();
            try (ResultSet rs = s.executeQuery("SELECT job_id_floor(now() - interval '1 second') <= '" + id
                    + "' AND '" + id + "' < job_id_floor(now() + interval '1 second')")) {
                rs.next();
                assertTrue(rs.getBoolean(1), id);
            }
        }
    }

    private static void insert(Statement s, String idExpression, String createdAt, String batch, int seq) throws SQLException {
        s.execute("INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, created_at, "
                + "processing_batch_id, batch_seq) VALUES (" + idExpression + ", '" + PUBKEY + "', md5(random()::text), '{}', 'sig', '"
                + "0".repeat(64) + "', " + createdAt + ", '" + batch + "', " + seq + ")");
    }
}
