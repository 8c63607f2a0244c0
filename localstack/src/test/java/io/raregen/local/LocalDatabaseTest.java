package io.raregen.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LocalDatabaseTest {

    private static String adminUrl() {
        String u = System.getenv("RAREGEN_TEST_JDBC_URL");
        return u == null || u.isBlank() ? LocalStackOptions.DEFAULT_DB_URL : u;
    }

    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream()));

    private static String uniqueName() {
        return "raregen_local_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static LocalDatabase.Owner ownerOf(Path stateDir) throws Exception {
        return LocalDatabase.Owner.of(LocalSecrets.loadOrCreate(stateDir, new ObjectMapper()));
    }

    private static LocalStackOptions options(String name, Path state, String... more) {
        List<String> a = new ArrayList<>(List.of("--db-url", adminUrl(), "--db-name", name, "--state-dir", state.toString()));
        a.addAll(List.of(more));
        return LocalStackOptions.parse(a.toArray(String[]::new));
    }

    private static void drop(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void open_createsTheDatabaseOnce_andFreshDropsItsData(@TempDir Path state) throws Exception {
        assumeTrue(LocalDatabase.answers(adminUrl()), "needs the machine's Postgres");
        String name = uniqueName();
        LocalDatabase.Owner owner = ownerOf(state);
        LocalStackOptions o = LocalStackOptions.parse(new String[] {"--db-url", adminUrl(), "--db-name", name, "--state-dir", state.toString()});
        try {
            try (LocalDatabase db = LocalDatabase.open(o, owner, log); Connection c = db.connect(); Statement s = c.createStatement()) {
                assertFalse(db.embedded());
                assertTrue(db.url().endsWith("/" + name), db.url());
                assertFalse(db.url().contains("user="), "credentials go separately to the apps");
                s.execute("CREATE TABLE marker (x int)");
            }
            try (LocalDatabase db = LocalDatabase.open(o, owner, log); Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "data is kept between runs");
            }
            LocalStackOptions fresh = LocalStackOptions.parse(new String[] {"--db-url", adminUrl(), "--db-name", name,
                    "--state-dir", state.toString(), "--fresh"});
            try (LocalDatabase db = LocalDatabase.open(fresh, owner, log); Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "--fresh starts over");
            }
        } finally {
            drop(name);
        }
    }

    @Test
    void open_aDatabaseMarkedByAnotherStateDirectory_isRefusedWithTheFix_andFreshTakesItOver(@TempDir Path tmp) throws Exception {
        assumeTrue(LocalDatabase.answers(adminUrl()), "needs the machine's Postgres");
        String name = uniqueName();
        Path first = tmp.resolve("first-clone");
        Path second = tmp.resolve("second-clone");
        try {
            // GIVEN a database left by the stack of another state directory (another clone, or rm -rf .raregen-local)
            LocalDatabase.open(options(name, first), ownerOf(first), log).close();

            // WHEN a new state directory opens it THEN it is refused, with the one-line fix in the message
            LocalDatabase.ForeignDatabaseException e = assertThrows(LocalDatabase.ForeignDatabaseException.class,
                    () -> LocalDatabase.open(options(name, second), ownerOf(second), log));
            assertTrue(e.getMessage().contains("./raregen local --fresh"), e.getMessage());
            assertTrue(e.getMessage().contains(ownerOf(first).poolAddress()), e.getMessage());

            // AND --fresh drops it and marks the new database as the new state directory's
            LocalDatabase.open(options(name, second, "--fresh"), ownerOf(second), log).close();
            LocalDatabase.open(options(name, second), ownerOf(second), log).close();
            assertThrows(LocalDatabase.ForeignDatabaseException.class,
                    () -> LocalDatabase.open(options(name, first), ownerOf(first), log));
        } finally {
            drop(name);
        }
    }

    @Test
    void open_anUnmarkedDatabaseWhosePoolPaysOtherKeys_isRefused_butOneWithOurOutputsIsAdopted(@TempDir Path tmp) throws Exception {
        assumeTrue(LocalDatabase.answers(adminUrl()), "needs the machine's Postgres");
        String name = uniqueName();
        Path state = tmp.resolve("state");
        LocalDatabase.Owner owner = ownerOf(state);
        LocalDatabase.Owner other = ownerOf(tmp.resolve("other"));
        try {
            // GIVEN a database from a launcher that did not mark databases yet, whose pool pays another stack's key
            String url;
            try (LocalDatabase db = LocalDatabase.open(options(name, state), owner, log); Connection c = db.connect();
                 Statement s = c.createStatement()) {
                url = db.urlWithCredentials();
                s.execute("COMMENT ON DATABASE " + name + " IS NULL");
                s.execute("CREATE TABLE utxos (script_pub_key bytea)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO utxos VALUES (?)")) {
                    ps.setBytes(1, other.poolScript());
                    ps.execute();
                }
            }
            // THEN it is refused
            assertThrows(LocalDatabase.ForeignDatabaseException.class, () -> LocalDatabase.open(options(name, state), owner, log));

            // AND once it holds one of our own outputs, it is ours again and gets marked
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO utxos VALUES (?)")) {
                ps.setBytes(1, owner.fundingScript());
                ps.execute();
            }
            LocalDatabase.open(options(name, state), owner, log).close();
            assertThrows(LocalDatabase.ForeignDatabaseException.class,
                    () -> LocalDatabase.open(options(name, tmp.resolve("other")), other, log), "marked for the adopting stack");
        } finally {
            drop(name);
        }
    }

    @Test
    void parse_readsEveryFlag_andRejectsUnknownOnes() {
        LocalStackOptions o = LocalStackOptions.parse(new String[] {"--api-port", "18080", "--broadcaster-port=18081",
                "--chain-port", "19090", "--sqs-port", "19324", "--smtp-port", "12525", "--block-interval", "0.5", "--fund-sats", "5000", "--fresh",
                "--java-opts", "-Xmx256m -XX:+UseSerialGC"});
        assertEquals(18080, o.apiPort());
        assertEquals(18081, o.broadcasterPort());
        assertEquals(19090, o.chainPort());
        assertEquals(19324, o.sqsPort());
        assertEquals(500, o.blockInterval().toMillis());
        assertEquals(5000, o.fundSats());
        assertTrue(o.fresh());
        assertEquals(2, o.javaOpts().size());
        assertThrows(IllegalArgumentException.class,
                () -> LocalStackOptions.parse(new String[] {"--nope"}));
    }
}
