package io.raregen.cli.support;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CliEnvironmentTest {

    private static CliEnvironment withEnv(Map<String, String> env) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return new CliEnvironment(env, sink, sink, System.in, () -> null, Clock.systemUTC());
    }

    @Test
    void home_followsTheHomeVariable_notJavasUserHome() {
        // user.home comes from the password database; a different $HOME must win, as it does for every Unix tool
        Path home = withEnv(Map.of("HOME", "/tmp/elsewhere")).home(null);

        assertEquals(Path.of("/tmp/elsewhere", ".raregen"), home);
    }

    @Test
    void home_prefersTheFlag_thenRaregenHome_thenHome_thenUserHome() {
        Map<String, String> both = Map.of("HOME", "/h", "RAREGEN_HOME", "/r");

        assertEquals(Path.of("/flag"), withEnv(both).home(Path.of("/flag")));
        assertEquals(Path.of("/r"), withEnv(both).home(null));
        assertEquals(Path.of(System.getProperty("user.home"), ".raregen"), withEnv(Map.of()).home(null));
    }
}
