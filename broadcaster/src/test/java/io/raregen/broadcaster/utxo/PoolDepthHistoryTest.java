package io.raregen.broadcaster.utxo;

import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pool_depth_samples (V26): each reading is one row with the broadcaster's threshold and address; old rows go. */
class PoolDepthHistoryTest {

    @Test
    void record_writesTheReading_andDropsSamplesOlderThanTheRetention() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO pool_depth_samples (sampled_at, instance_id, publish_available, available, reserved, pending,
                                                    available_sats, funding_sats, alert_threshold)
                    VALUES (now() - interval '9 days', 'old', 1, 1, 0, 0, 1, 0, 10),
                           (now() - interval '7 days', 'kept', 2, 2, 0, 0, 2, 0, 10)""");
            PoolDepthHistory history = new PoolDepthHistory(db.dataSource(), "b-1", 1000, "mfunding", Duration.ofDays(8));
            history.record(new PoolDepth(Map.of("available", 40L, "reserved", 3L, "pending", 2L),
                    Map.of("available", 4000L, "reserved", 300L, "pending", 200L), 38, 70_000));

            try (ResultSet rs = s.executeQuery("SELECT instance_id FROM pool_depth_samples ORDER BY sampled_at")) {
                assertTrue(rs.next());
                assertEquals("kept", rs.getString(1), "the 9-day-old sample is pruned, the 7-day-old one kept");
                assertTrue(rs.next());
                assertEquals("b-1", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT publish_available, available, reserved, pending, available_sats, funding_sats, alert_threshold,
                           funding_address FROM pool_depth_samples WHERE instance_id = 'b-1'""")) {
                assertTrue(rs.next());
                assertEquals(38, rs.getLong(1));
                assertEquals(40, rs.getLong(2));
                assertEquals(3, rs.getLong(3));
                assertEquals(2, rs.getLong(4));
                assertEquals(4000, rs.getLong(5));
                assertEquals(70_000, rs.getLong(6));
                assertEquals(1000, rs.getLong(7));
                assertEquals("mfunding", rs.getString(8));
            }
        }
    }
}
