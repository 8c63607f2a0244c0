package io.raregen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.LocalStackProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer's first run, as it happens on a machine that already ran another clone: the real {@code ./raregen local}
 * of a second clone, with its default state directory ({@code <clone>/.raregen-local}, where the script also keeps
 * the launcher's own jar), against a database the other clone's stack left behind.
 */
class FirstRunTest {

    private static final List<String> JARS = List.of("functions/target/raregen-functions-0.1.0-SNAPSHOT-all.jar",
            "broadcaster/target/raregen-broadcaster-0.1.0-SNAPSHOT-all.jar", "localstack/target/raregen-localstack-0.1.0-SNAPSHOT-all.jar");

    @Test
    void secondClone_withALeftoverDatabase_isToldTheFix_thenFreshWithTheDefaultStateDir_runsTheQuickstart(@TempDir Path tmp)
            throws Exception {
        String db = "raregen_first_run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Path clone = cloneOfBuiltRepo(tmp.resolve("clone"));
        LocalStackProcess.Options base = LocalStackProcess.Options.defaults(tmp.resolve("first-clone-state"), "first-run-other.log");
        try {
            // GIVEN a database left by another clone's stack (its own state directory, its own pool key and chain)
            try (LocalStackProcess other = LocalStackProcess.start(
                    new LocalStackProcess.Options(base.repo(), base.stateDir(), base.logName(), base.fundSats(),
                            base.blockInterval(), base.javaOpts(), true, db))) {
                assertTrue(other.stop(), "the first clone's stack stops on Ctrl-C");
            }

            // WHEN the second clone starts without --fresh, THEN it refuses at once and names the one-line fix
            LocalStackProcess refused = LocalStackProcess.startExpectingExit(
                    LocalStackProcess.Options.defaults(null, "first-run-refused.log").asUserIn(clone, false, db));
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("was left by another local stack"), refused.output());
            assertTrue(refused.output().contains("./raregen local --fresh"), refused.output());
            assertTrue(Files.isRegularFile(clone.resolve(".raregen-local/run/launcher.jar")), "the script runs the launcher from the state dir");

            // WHEN it starts with --fresh: the launcher wipes the default state directory it runs its own jar from
            try (LocalStackProcess stack = LocalStackProcess.start(
                    LocalStackProcess.Options.defaults(null, "first-run-fresh.log").asUserIn(clone, true, db))) {
                assertTrue(stack.output().contains("RareGen local stack is up"), stack.tail());

                // THEN the client quickstart works: a key, registered, a record published and sent
                InProcessCli cli = new InProcessCli(tmp.resolve("home"), stack.apiUrl());
                cli.ok("keys", "new", "--kdf-iterations", "1000");
                cli.ok("register");
                Path record = tmp.resolve("hello.json");
                Files.writeString(record, "{\"title\":\"my first record\"}");
                JsonNode published = Json.MAPPER.readTree(cli.ok("publish", "--wait", "--wait-timeout", "120", "--json", record.toString()));
                JsonNode job = published.isArray() ? published.get(0) : published;
                assertTrue(List.of("sent", "mined").contains(job.path("status").asText()), published.toString());
                assertEquals(64, job.path("txid").asText().length(), published.toString());
            }
        } finally {
            try (Connection c = DriverManager.getConnection(LocalStackProcess.ADMIN_DB_URL); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    /** A directory laid out like a fresh clone after its first build: the script and the three built jars. */
    private static Path cloneOfBuiltRepo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(LocalStackProcess.REPO.resolve("raregen"), dir.resolve("raregen"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String jar : JARS) {
            Path from = LocalStackProcess.REPO.resolve(jar);
            assertTrue(Files.isRegularFile(from), "build the reactor first: missing " + from);
            Path to = dir.resolve(jar);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }
}
