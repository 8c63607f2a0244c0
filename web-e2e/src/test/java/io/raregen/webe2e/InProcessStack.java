package io.raregen.webe2e;

import io.raregen.local.LocalStack;
import io.raregen.local.LocalStackOptions;
import io.raregen.local.Log;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The whole local stack ({@link LocalStack}, what {@code ./raregen local} runs) started in this JVM on free ports,
 * with a fresh uniquely named database on the test Postgres; its output goes to {@code target/<logName>}.
 * {@link #close()} stops it and drops the database.
 */
final class InProcessStack implements AutoCloseable {

    /** The repository root: tests run in {@code web-e2e/}. */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final String ADMIN_DB_URL = System.getenv().getOrDefault("RAREGEN_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private final LocalStack stack;
    private final String dbName;
    private final PrintStream out;

    private InProcessStack(LocalStack stack, String dbName, PrintStream out) {
        this.stack = stack;
        this.dbName = dbName;
        this.out = out;
    }

    static InProcessStack start(Path stateDir, String logName) throws Exception {
        String db = "raregen_web_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        LocalStackOptions o = LocalStackOptions.parse(new String[] {
            "--repo", REPO.toString(), "--state-dir", stateDir.toString(), "--fresh",
            "--api-port", "" + freePort(), "--broadcaster-port", "" + freePort(), "--chain-port", "" + freePort(),
            "--sqs-port", "" + freePort(), "--smtp-port", "" + freePort(), "--door-ports", "" + freePort(), "--embedded-db-port", "" + freePort(),
            "--db-url", ADMIN_DB_URL, "--db-name", db, "--block-interval", "1", "--fund-sats", "10000000",
            "--java-opts", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"});
        Path log = Files.createDirectories(REPO.resolve("web-e2e/target")).resolve(logName);
        PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        LocalStack s = new LocalStack(o, new Log(out));
        try {
            s.start();
        } catch (Exception e) {
            s.close();
            out.close();
            throw new IllegalStateException("the local stack did not start; see " + log, e);
        }
        return new InProcessStack(s, db, out);
    }

    /** Delays every answer of the local chain's ARC API by {@code ms} (0: back to none): jobs stay on their way that long. */
    void chainLatency(long ms) {
        stack.chain().faults().latencyMs(ms);
    }

    String webUrl() {
        return stack.webUrl();
    }

    String apiUrl() {
        return stack.apiUrl();
    }

    String adminToken() {
        return stack.secrets().adminToken();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.database().url(), stack.database().username(), stack.database().password());
    }

    /**
     * The code of the first sign-in mail to {@code email} that reached the stack's mail server, read as
     * {@code raregen login} reads it (the launcher keeps every message in {@code <stateDir>/mail/inbox.jsonl}).
     */
    String mailedCode(String email) throws InterruptedException {
        return new io.raregen.cli.accounts.LocalMailbox(stack.options().stateDir().resolve("mail/inbox.jsonl"))
                .awaitCode(email, 0, java.time.Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no sign-in mail to " + email));
    }

    /** Pays {@code sats} to a P2PKH address from the local chain's faucet (as a user's wallet would). */
    void pay(String address, long sats) {
        stack.chain().faucet(io.raregen.core.keys.P2pkh.lockingScriptForAddress(address), sats);
    }

    /** Jobs stored for this public key: what "nothing was sent" is checked against. */
    long jobsOf(String pubkey) throws SQLException {
        return countFor(pubkey, "SELECT count(*) FROM publish_jobs WHERE pubkey = ?");
    }

    /**
     * Jobs of this public key whose accepted body is stored as sent, not rebuilt from the row's own columns (V42: a body
     * in the canonical layout, as the web app sends it, is stored once).
     */
    long bodiesStoredTwice(String pubkey) throws SQLException {
        return countFor(pubkey, "SELECT count(*) FROM publish_jobs WHERE pubkey = ? AND (envelope IS NOT NULL OR envelope_sha256 IS NULL)");
    }

    private long countFor(String pubkey, String sql) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            stack.close();
        } finally {
            out.close();
            try (Connection c = DriverManager.getConnection(ADMIN_DB_URL); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
            }
        }
    }

    /** Ports handed out in this JVM: a stack's seven ports (and the next stack's) are never the same one twice. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }
}
