package io.raregen.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's {@code ./raregen} script hands a CLI command the settings of the stack in
 * {@code $RAREGEN_STATE_DIR/cli.env}. A stand-in {@code java} on the PATH prints what the CLI would
 * receive, so no jar is needed (and RAREGEN_NO_BUILD keeps the script from building one).
 */
class RaregenScriptStateDirTest {

    private static final Path SCRIPT = Path.of("..", "raregen").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void cliCommands_readCliEnvFromRaregenStateDir() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.writeString(state.resolve("cli.env"), "# test\nRAREGEN_API=http://from-state-dir:1\nRAREGEN_ADMIN_TOKEN=t0k\n");

        String out = runCli(Map.of("RAREGEN_STATE_DIR", state.toString()));

        assertTrue(out.contains("RAREGEN_API=http://from-state-dir:1\n"), out);
        assertTrue(out.contains("RAREGEN_ADMIN_TOKEN=t0k\n"), out);
    }

    @Test
    void aStateDirWithoutCliEnv_passesNothing_andVariablesAlreadySetWin() throws Exception {
        // negative controls: another directory's cli.env is not read, and the caller's own variable is kept
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.writeString(state.resolve("cli.env"), "RAREGEN_API=http://from-state-dir:1\n");
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        assertTrue(runCli(Map.of("RAREGEN_STATE_DIR", empty.toString())).contains("RAREGEN_API=\n"));
        assertTrue(runCli(Map.of("RAREGEN_STATE_DIR", state.toString(), "RAREGEN_API", "http://mine:2"))
                .contains("RAREGEN_API=http://mine:2\n"));
    }

    /** Runs {@code ./raregen status J} with a stand-in java and returns what it printed. */
    private String runCli(Map<String, String> env) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                printf 'RAREGEN_API=%s\\n' "${RAREGEN_API:-}"
                printf 'RAREGEN_ADMIN_TOKEN=%s\\n' "${RAREGEN_ADMIN_TOKEN:-}"
                printf 'ARGS=%s\\n' "$*"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "status", "J").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("RAREGEN_"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("RAREGEN_NO_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ARGS=") && out.contains("status J"), out);
        return out;
    }
}
