package io.raregen.cli.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ./raregen local} as a child process, the way a user starts it: a fresh database with a unique
 * {@code raregen_e2e_*} name on the Postgres at {@link #ADMIN_DB_URL}, free ports for every part, state in a
 * directory of the test's choosing. {@link #start} returns once the banner "RareGen local stack is up" appeared.
 * {@link #stop()} sends SIGTERM (Ctrl-C) and waits for the launcher; {@link #close()} also forces it down if needed,
 * drops the database and writes the stack's whole terminal output to {@code target/<logName>}.
 */
public final class LocalStackProcess implements AutoCloseable {

    /** The repository root: tests run in {@code cli/}. */
    public static final Path REPO = Path.of("").toAbsolutePath().getParent();
    /** Postgres admin URL the launcher creates its database on. */
    public static final String ADMIN_DB_URL = System.getenv().getOrDefault("RAREGEN_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final List<String> JARS = List.of("functions/target/raregen-functions-0.1.0-SNAPSHOT-all.jar",
            "broadcaster/target/raregen-broadcaster-0.1.0-SNAPSHOT-all.jar", "localstack/target/raregen-localstack-0.1.0-SNAPSHOT-all.jar");
    private static final String UP_BANNER = "RareGen local stack is up";

    /**
     * What to start.
     *
     * @param stateDir      the launcher's {@code --state-dir}
     * @param logName       file name under {@code target/} that receives the stack's output
     * @param fundSats      {@code --fund-sats}
     * @param blockInterval {@code --block-interval} in seconds
     * @param javaOpts      {@code --java-opts} of the two applications
     */
    public record Options(Path stateDir, String logName, long fundSats, int blockInterval, String javaOpts) {
        public static Options defaults(Path stateDir, String logName) {
            return new Options(stateDir, logName, 10_000_000, 1, "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        }

        public Options withFundSats(long sats) {
            return new Options(stateDir, logName, sats, blockInterval, javaOpts);
        }

        public Options withJavaOpts(String opts) {
            return new Options(stateDir, logName, fundSats, blockInterval, opts);
        }
    }

    private final Options options;
    private final int apiPort;
    private final int broadcasterPort;
    private final int chainPort;
    private final String dbName;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch up = new CountDownLatch(1);
    private Process process;
    private Thread pump;
    private List<ProcessHandle> children = List.of();
    private boolean closed;

    private LocalStackProcess(Options options) throws IOException {
        this.options = options;
        this.apiPort = freePort();
        this.broadcasterPort = freePort();
        this.chainPort = freePort();
        this.dbName = "raregen_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Starts the stack and waits (at most 180 s) until it is up; fails the test, stopping what started, if not. */
    public static LocalStackProcess start(Options options) throws IOException, InterruptedException {
        for (String jar : JARS) {
            assertTrue(Files.isRegularFile(REPO.resolve(jar)), "build the reactor first (./mvnw -B -o install -DskipTests): missing " + jar);
        }
        LocalStackProcess s = new LocalStackProcess(options);
        try {
            s.launch();
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    private void launch() throws IOException, InterruptedException {
        int sqs = freePort();
        int pg = freePort();
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("raregen").toString(), "local",
                "--state-dir", options.stateDir().toString(), "--api-port", "" + apiPort, "--broadcaster-port", "" + broadcasterPort,
                "--chain-port", "" + chainPort, "--sqs-port", "" + sqs, "--db-url", ADMIN_DB_URL, "--db-name", dbName,
                "--embedded-db-port", "" + pg, "--block-interval", "" + options.blockInterval(),
                "--fund-sats", "" + options.fundSats(), "--fresh", "--java-opts", options.javaOpts())
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        pb.environment().put("RAREGEN_NO_BUILD", "1");
        process = pb.start();
        pump = new Thread(this::pumpOutput, "stack-output");
        pump.setDaemon(true);
        pump.start();
        if (!up.await(180, TimeUnit.SECONDS) || !process.isAlive()) {
            fail("the local stack did not come up:\n" + tail());
        }
        children = new ArrayList<>(process.descendants().toList());
    }

    /** The functions API, e.g. {@code http://localhost:41234}. */
    public String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    public int apiPort() {
        return apiPort;
    }

    /** The broadcaster's operator API. */
    public String broadcasterUrl() {
        return "http://localhost:" + broadcasterPort;
    }

    /** The local chain's ARC API (and {@code /admin/...}). */
    public String chainUrl() {
        return "http://127.0.0.1:" + chainPort;
    }

    public String dbName() {
        return dbName;
    }

    /** The descendants of the launcher seen right after start (the functions and broadcaster JVMs). */
    public List<ProcessHandle> children() {
        return children;
    }

    /** The operator token from {@code <state>/secrets.json}. */
    public String adminToken() throws IOException {
        return secrets().path("adminToken").asText();
    }

    /** {@code <state>/secrets.json}: poolWif, fundingWif, adminToken (local regtest values). */
    public JsonNode secrets() throws IOException {
        return Json.MAPPER.readTree(options.stateDir().resolve("secrets.json").toFile());
    }

    /** The JDBC URL (with credentials) of the stack's own database, as the launcher wrote it to {@code cli.env}. */
    public String jdbcUrl() throws IOException {
        for (String line : Files.readAllLines(options.stateDir().resolve("cli.env"))) {
            if (line.startsWith("RAREGEN_DB_URL=")) {
                return line.substring("RAREGEN_DB_URL=".length());
            }
        }
        throw new IOException("no RAREGEN_DB_URL in " + options.stateDir().resolve("cli.env"));
    }

    /** A new connection to the stack's database. */
    public Connection connect() throws IOException, SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Everything the stack printed so far. */
    public String output() {
        return output.toString();
    }

    /** The last 6,000 characters of the stack's output, for failure messages. */
    public String tail() {
        String s = output.toString();
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /**
     * Ctrl-C: SIGTERM to the launcher through its ProcessHandle ({@code Process.destroy()} would also close our end of
     * its output pipe), then wait up to 90 s. Returns whether the launcher exited by itself.
     */
    public boolean stop() throws InterruptedException {
        if (process == null) {
            return true;
        }
        process.toHandle().destroy();
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(10_000);
        return exited;
    }

    /** Stops the stack if it still runs, drops its database and writes its output to {@code target/<logName>}. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process != null && process.isAlive()) {
                stop();
            }
        } finally {
            dropDatabase(dbName);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", options.logName()), output.toString());
        }
    }

    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains(UP_BANNER)) {
                    up.countDown();
                }
            }
        } catch (IOException ignored) {
            // process ended
        } finally {
            up.countDown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(ADMIN_DB_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception ignored) {
            // an embedded server went away with the stack; a leftover database has a recognisable name
        }
    }
}
