package io.raregen.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LocalDatabaseTest {

    private static String adminUrl() {
        String u = System.getenv("RAREGEN_TEST_JDBC_URL");
        return u == null || u.isBlank() ? LocalStackOptions.DEFAULT_DB_URL : u;
    }

    @Test
    void open_createsTheDatabaseOnce_andFreshDropsItsData(@TempDir Path state) throws Exception {
        assumeTrue(LocalDatabase.answers(adminUrl()), "needs the machine's Postgres");
        String name = "raregen_local_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Log log = new Log(new PrintStream(new ByteArrayOutputStream()));
        LocalStackOptions o = LocalStackOptions.parse(new String[] {"--db-url", adminUrl(), "--db-name", name, "--state-dir", state.toString()});
        try {
            try (LocalDatabase db = LocalDatabase.open(o, log); Connection c = db.connect(); Statement s = c.createStatement()) {
                assertFalse(db.embedded());
                assertTrue(db.url().endsWith("/" + name), db.url());
                assertFalse(db.url().contains("user="), "credentials go separately to the apps");
                s.execute("CREATE TABLE marker (x int)");
            }
            try (LocalDatabase db = LocalDatabase.open(o, log); Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "data is kept between runs");
            }
            LocalStackOptions fresh = LocalStackOptions.parse(new String[] {"--db-url", adminUrl(), "--db-name", name,
                    "--state-dir", state.toString(), "--fresh"});
            try (LocalDatabase db = LocalDatabase.open(fresh, log); Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "--fresh starts over");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(adminUrl()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void parse_readsEveryFlag_andRejectsUnknownOnes() {
        LocalStackOptions o = LocalStackOptions.parse(new String[] {"--api-port", "18080", "--broadcaster-port=18081",
                "--chain-port", "19090", "--sqs-port", "19324", "--block-interval", "0.5", "--fund-sats", "5000", "--fresh",
                "--java-opts", "-Xmx256m -XX:+UseSerialGC"});
        assertEquals(18080, o.apiPort());
        assertEquals(18081, o.broadcasterPort());
        assertEquals(19090, o.chainPort());
        assertEquals(19324, o.sqsPort());
        assertEquals(500, o.blockInterval().toMillis());
        assertEquals(5000, o.fundSats());
        assertTrue(o.fresh());
        assertEquals(2, o.javaOpts().size());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalStackOptions.parse(new String[] {"--nope"}));
    }
}
