package io.raregen.broadcaster.retention;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The intake's guarded nonces (V57) leave {@code publish_nonces} a grace period after they expire, on a real Postgres. */
class ExpiredNoncesTest {
    private TestDatabase db;

    @BeforeEach
    void database() {
        db = TestDatabase.create();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void noncesExpiredLongerThanTheGrace_areDeleted_andTheRestStay() throws SQLException {
        // GIVEN nonces that expired 11 and 9 minutes ago, one expiring now and one in 5 minutes (grace: 10 minutes)
        exec("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) VALUES "
                + "(nonce_key('02aa', 'gone'), 'gone', now() - interval '11 minutes'), "
                + "(nonce_key('02aa', 'in-grace'), 'in-grace', now() - interval '9 minutes'), "
                + "(nonce_key('02bb', 'expiring'), 'expiring', now()), "
                + "(nonce_key('02bb', 'live'), 'live', now() + interval '5 minutes')");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExpiredNonces loop = new ExpiredNonces(db.dataSource(), new RetentionSettings(), registry);

        // WHEN the loop runs twice
        int first = loop.runOnce();
        int second = loop.runOnce();

        // THEN only the one past its grace went, once, and the counter says so
        assertEquals(1, first);
        assertEquals(0, second);
        assertEquals(List.of("expiring", "in-grace", "live"), nonces());
        assertEquals(1.0, registry.counter("raregen.retention.nonces.deleted").count());
    }

    @Test
    void aGraceOfZero_deletesEveryExpiredNonce() throws SQLException {
        exec("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) VALUES "
                + "(nonce_key('02aa', 'expired'), 'expired', now() - interval '1 second'), "
                + "(nonce_key('02aa', 'live'), 'live', now() + interval '1 minute')");
        RetentionSettings settings = new RetentionSettings();
        settings.setNonceGrace(Duration.ZERO);

        assertEquals(1, new ExpiredNonces(db.dataSource(), settings, new SimpleMeterRegistry()).runOnce());
        assertEquals(List.of("live"), nonces());
    }

    @Test
    void settingsThatCannotWork_areRefusedWithTheSettingToFix() {
        RetentionSettings negative = new RetentionSettings();
        negative.setNonceGrace(Duration.ofMinutes(-1));
        RetentionSettings never = new RetentionSettings();
        never.setNonceInterval(Duration.ZERO);

        assertEquals("raregen.retention.nonce-grace must not be negative",
                assertThrows(IllegalArgumentException.class, negative::validate).getMessage());
        assertEquals("raregen.retention.nonce-interval must be positive",
                assertThrows(IllegalArgumentException.class, never::validate).getMessage());
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The guards left, by the job ids they name (here: their nonces). */
    private List<String> nonces() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id FROM publish_nonces ORDER BY job_id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
