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
 * directory of the test's choosing. {@link #start} returns once the banner "RareGen local stack is up" appeared, all of it.
 * {@link #stop()} sends SIGTERM (Ctrl-C) and waits for the launcher; {@link #close()} also forces it down if needed,
 * drops a database it named itself and writes the stack's whole terminal output to {@code target/<logName>}.
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
    /** The banner's last sentence (LocalStackMain.printBanner). */
    private static final String BANNER_END = "Ctrl-C stops everything";

    /**
     * What to start.
     *
     * @param repo          the repository (or a stand-in clone) whose {@code ./raregen} runs, and its working directory
     * @param stateDir      the launcher's {@code --state-dir}; null passes none, so the default {@code <repo>/.raregen-local} is used
     * @param logName       file name under {@code target/} that receives the stack's output
     * @param fundSats      {@code --fund-sats}
     * @param blockInterval {@code --block-interval} in seconds
     * @param javaOpts      {@code --java-opts} of the two applications
     * @param fresh         pass {@code --fresh}
     * @param dbName        {@code --db-name}; null for a unique {@code raregen_e2e_*} database that {@link #close()} drops
     *                      (a named one is the test's to drop)
     */
    public record Options(Path repo, Path stateDir, String logName, long fundSats, int blockInterval, String javaOpts,
                          boolean fresh, String dbName) {
        public static Options defaults(Path stateDir, String logName) {
            return new Options(REPO, stateDir, logName, 10_000_000, 1, "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", true, null);
        }

        public Options withFundSats(long sats) {
            return new Options(repo, stateDir, logName, sats, blockInterval, javaOpts, fresh, dbName);
        }

        public Options withJavaOpts(String opts) {
            return new Options(repo, stateDir, logName, fundSats, blockInterval, opts, fresh, dbName);
        }

        /** Runs {@code <repo>/raregen local} with the default state directory, {@code --fresh} or not, on database {@code db}. */
        public Options asUserIn(Path clone, boolean withFresh, String db) {
            return new Options(clone, null, logName, fundSats, blockInterval, javaOpts, withFresh, db);
        }

        /** The state directory the launcher uses. */
        public Path effectiveStateDir() {
            return stateDir != null ? stateDir : repo.resolve(".raregen-local");
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
        this.dbName = options.dbName() != null ? options.dbName()
                : "raregen_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Starts the stack and waits (at most 180 s) until it is up; fails the test, stopping what started, if not. */
    public static LocalStackProcess start(Options options) throws IOException, InterruptedException {
        LocalStackProcess s = new LocalStackProcess(options);
        try {
            s.launch();
            if (!s.up.await(180, TimeUnit.SECONDS) || !s.process.isAlive()) {
                fail("the local stack did not come up:\n" + s.tail());
            }
            s.children = new ArrayList<>(s.process.descendants().toList());
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    /**
     * Starts the launcher expecting it to stop by itself (a refused start): waits at most 120 s for it to exit and
     * returns it, closed, for its {@link #output()} and {@link #exitCode()}. Fails the test if it came up instead.
     */
    public static LocalStackProcess startExpectingExit(Options options) throws IOException, InterruptedException {
        LocalStackProcess s = new LocalStackProcess(options);
        try {
            s.launch();
            boolean exited = s.process.waitFor(120, TimeUnit.SECONDS);
            s.pump.join(10_000);
            assertTrue(exited && s.up.getCount() == 0 && !s.output().contains(UP_BANNER),
                    "expected the launcher to stop by itself:\n" + s.tail());
        } finally {
            s.close();
        }
        return s;
    }

    private void launch() throws IOException {
        for (String jar : JARS) {
            assertTrue(Files.isRegularFile(options.repo().resolve(jar)),
                    "build the reactor first (./mvnw -B -o install -DskipTests): missing " + jar);
        }
        int sqs = freePort();
        int pg = freePort();
        List<String> cmd = new ArrayList<>(List.of(options.repo().resolve("raregen").toString(), "local"));
        if (options.stateDir() != null) {
            cmd.addAll(List.of("--state-dir", options.stateDir().toString()));
        }
        cmd.addAll(List.of("--api-port", "" + apiPort, "--broadcaster-port", "" + broadcasterPort,
                "--chain-port", "" + chainPort, "--sqs-port", "" + sqs, "--smtp-port", "" + freePort(), "--door-ports", "" + freePort(), "--db-url", ADMIN_DB_URL, "--db-name", dbName,
                "--embedded-db-port", "" + pg, "--block-interval", "" + options.blockInterval(),
                "--fund-sats", "" + options.fundSats(), "--java-opts", options.javaOpts()));
        if (options.fresh()) {
            cmd.add("--fresh");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(options.repo().toFile()).redirectErrorStream(true);
        pb.environment().remove("RAREGEN_STATE_DIR");
        pb.environment().put("RAREGEN_NO_BUILD", "1");
        process = pb.start();
        pump = new Thread(this::pumpOutput, "stack-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The launcher's exit code, once it has exited. */
    public int exitCode() {
        return process.exitValue();
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
        return Json.MAPPER.readTree(options.effectiveStateDir().resolve("secrets.json").toFile());
    }

    /** The JDBC URL (with credentials) of the stack's own database, as the launcher wrote it to {@code cli.env}. */
    public String jdbcUrl() throws IOException {
        for (String line : Files.readAllLines(options.effectiveStateDir().resolve("cli.env"))) {
            if (line.startsWith("RAREGEN_DB_URL=")) {
                return line.substring("RAREGEN_DB_URL=".length());
            }
        }
        throw new IOException("no RAREGEN_DB_URL in " + options.effectiveStateDir().resolve("cli.env"));
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
            if (options.dbName() == null) {
                dropDatabase(dbName);
            }
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", options.logName()), output.toString());
        }
    }

    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean banner = false;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                banner |= line.contains(UP_BANNER);
                // the banner is many lines: start returns once its last one is read, so every URL in it is there
                if (banner && line.contains(BANNER_END)) {
                    up.countDown();
                }
            }
        } catch (IOException ignored) {
            // process ended
        } finally {
            up.countDown();
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

    private static void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(ADMIN_DB_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception ignored) {
            // an embedded server went away with the stack; a leftover database has a recognisable name
        }
    }
}
