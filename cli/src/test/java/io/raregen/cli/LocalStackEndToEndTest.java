package io.raregen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.Json;
import io.raregen.cli.verify.Hashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts {@code ./raregen local} the way a user does (a child process, fresh database, its own
 * ports), then drives it with the CLI: keys → register → publish 20 records → wait for sent →
 * verify every proof locally → follow one to mined and check its merkle path against the block →
 * a tampered proof fails. Finally Ctrl-C (SIGTERM) must stop the launcher and both applications.
 */
class LocalStackEndToEndTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final String ADMIN_DB_URL = System.getenv().getOrDefault("RAREGEN_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private final StringBuffer stackOutput = new StringBuffer();

    @Test
    void localStack_twentyRecordsPublishedThroughTheCli_areSentVerifiedAndMined_thenCtrlCStopsEverything(@TempDir Path tmp)
            throws Exception {
        for (String jar : List.of("functions/target/raregen-functions-0.1.0-SNAPSHOT-all.jar",
                "broadcaster/target/raregen-broadcaster-0.1.0-SNAPSHOT-all.jar", "localstack/target/raregen-localstack-0.1.0-SNAPSHOT-all.jar")) {
            assertTrue(Files.isRegularFile(REPO.resolve(jar)), "build the reactor first (./mvnw -B verify): missing " + jar);
        }
        int api = freePort(), broadcaster = freePort(), chain = freePort(), sqs = freePort(), pg = freePort();
        String dbName = "raregen_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("raregen").toString(), "local",
                "--state-dir", tmp.resolve("state").toString(), "--api-port", "" + api, "--broadcaster-port", "" + broadcaster,
                "--chain-port", "" + chain, "--sqs-port", "" + sqs, "--db-url", ADMIN_DB_URL, "--db-name", dbName,
                "--embedded-db-port", "" + pg, "--block-interval", "1", "--fund-sats", "10000000", "--fresh",
                "--java-opts", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        pb.environment().put("RAREGEN_NO_BUILD", "1");
        Process stack = pb.start();
        CountDownLatch up = new CountDownLatch(1);
        Thread pump = new Thread(() -> pump(stack, up), "stack-output");
        pump.setDaemon(true);
        pump.start();
        List<ProcessHandle> children = new ArrayList<>();
        boolean exited;
        try {
            if (!up.await(180, TimeUnit.SECONDS) || !stack.isAlive()) {
                fail("the local stack did not come up:\n" + tail());
            }
            children.addAll(stack.descendants().toList());
            assertTrue(children.size() >= 2, "functions and broadcaster run as child processes: " + children);

            String apiUrl = "http://localhost:" + api;
            String headers = "http://127.0.0.1:" + chain + "/admin/blocks/{hash}";
            Cli cli = new Cli(tmp.resolve("home"), apiUrl);

            // GIVEN a client with keys, registered
            cli.ok("keys", "new", "--kdf-iterations", "1000");
            cli.ok("register");

            // WHEN it publishes 20 records and waits for them to be sent
            List<String> files = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path f = tmp.resolve("record-" + i + ".json");
                Files.writeString(f, "{\"title\":\"record " + i + "\",\"tags\":[\"e2e\"],\"n\":" + i + "}");
                files.add(f.toString());
            }
            List<String> args = new ArrayList<>(List.of("publish", "--wait", "--wait-timeout", "120", "--json"));
            args.addAll(files);
            JsonNode published = Json.MAPPER.readTree(cli.ok(args.toArray(String[]::new)));

            // THEN every one is sent with a txid, and each proof verifies locally
            assertEquals(20, published.size());
            List<String> jobs = new ArrayList<>();
            for (JsonNode p : published) {
                assertTrue(List.of("sent", "mined").contains(p.path("status").asText()), p.toString());
                assertEquals(64, p.path("txid").asText().length(), p.toString());
                jobs.add(p.path("jobId").asText());
            }
            for (String job : jobs) {
                JsonNode report = Json.MAPPER.readTree(cli.ok("verify", job, "--mine", "--headers", headers, "--json"));
                assertEquals("PASS", report.path("result").asText(), report.toString());
            }

            // AND one followed to mined has a merkle path that leads to the block's root
            String job = jobs.get(0);
            cli.ok("status", job, "--follow", "--until", "mined", "--interval", "300", "--timeout", "90");
            JsonNode mined = Json.MAPPER.readTree(cli.ok("verify", job, "--headers", headers, "--json"));
            assertEquals("PASS", mined.path("result").asText(), mined.toString());
            assertTrue(mined.path("mined").asBoolean());
            assertEquals("PASS", outcome(mined, "merkle path"), mined.toString());
            assertEquals("PASS", outcome(mined, "block header"), mined.toString());
            // and the same txid resolves through the local journal
            String txid = published.get(0).path("txid").asText();
            assertEquals("PASS", Json.MAPPER.readTree(cli.ok("verify", txid, "--json")).path("result").asText());

            // AND a proof with one byte of its merkle path changed fails against the block header
            ObjectNode proof = (ObjectNode) new ApiClient(apiUrl, null, Duration.ofSeconds(10)).proof(job);
            byte[] bump = Hashes.unhex(proof.path("merklePath").asText());
            bump[bump.length - 1] ^= 0x01;
            proof.put("merklePath", Hashes.hex(bump));
            Path tampered = tmp.resolve("tampered-proof.json");
            Files.writeString(tampered, proof.toString());
            Cli.Result bad = cli.run("verify", "--proof", tampered.toString(), "--headers", headers, "--json");
            assertEquals(1, bad.code(), bad.out());
            assertEquals("FAIL", outcome(Json.MAPPER.readTree(bad.out()), "block header"), bad.out());

            // AND the operator view works against the same stack
            assertTrue(cli.ok("pool", "--admin-token", adminToken(tmp.resolve("state"))).contains("Conservation"));
        } finally {
            // WHEN the user presses Ctrl-C (also the cleanup when the body failed). SIGTERM through the
            // ProcessHandle: Process.destroy() would also close our end of its output pipe.
            stack.toHandle().destroy();
            exited = stack.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                stack.destroyForcibly();
                stack.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            pump.join(10_000);
            dropDatabase(dbName);
            // the whole terminal output of the stack, for whoever reads a failure
            Files.writeString(Path.of("target", "local-stack-e2e.log"), stackOutput.toString());
        }
        // THEN the launcher and both applications are gone and the API port is closed
        assertTrue(exited, "the launcher did not stop within 90 s after SIGTERM:\n" + tail());
        for (ProcessHandle c : children) {
            c.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(c.isAlive(), "child " + c.pid() + " still alive");
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", api).close());
        assertTrue(stackOutput.toString().contains("stopped; data kept in"), tail());
    }

    private static String outcome(JsonNode report, String check) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("check").asText().equals(check)) {
                return c.path("outcome").asText();
            }
        }
        return "ABSENT";
    }

    private static String adminToken(Path state) throws IOException {
        return Json.MAPPER.readTree(state.resolve("secrets.json").toFile()).path("adminToken").asText();
    }

    private void pump(Process p, CountDownLatch up) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stackOutput.append(line).append('\n');
                if (line.contains("RareGen local stack is up")) {
                    up.countDown();
                }
            }
        } catch (IOException ignored) {
            // process ended
        } finally {
            up.countDown();
        }
    }

    private String tail() {
        String s = stackOutput.toString();
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
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

    /** The CLI in this JVM with its own home and captured output. */
    private static final class Cli {
        record Result(int code, String out, String err) {
        }

        private final Map<String, String> vars = new HashMap<>();

        Cli(Path home, String api) {
            vars.put("RAREGEN_HOME", home.toString());
            vars.put("RAREGEN_PASSPHRASE", "end to end passphrase");
            vars.put("RAREGEN_API", api);
        }

        Result run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CliEnvironment env = new CliEnvironment(vars, new PrintWriter(out, true), new PrintWriter(err, true),
                    new ByteArrayInputStream(new byte[0]), () -> null, Clock.systemUTC());
            int code = RaregenCli.run(env, args);
            return new Result(code, out.toString(), err.toString());
        }

        String ok(String... args) {
            Result r = run(args);
            assertEquals(0, r.code(), "raregen " + String.join(" ", args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
            return r.out();
        }
    }
}
