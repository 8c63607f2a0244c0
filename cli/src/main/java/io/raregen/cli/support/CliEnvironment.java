package io.raregen.cli.support;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a command may touch outside itself: environment variables, the terminal, streams and the
 * clock. The real one wraps the process; tests pass their own, so no command reads
 * {@code System.getenv} or {@code System.console()} directly.
 */
public record CliEnvironment(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in,
                             Supplier<Console> console, Clock clock) {

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.in, System::console, Clock.systemUTC());
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * {@code --home}, else RAREGEN_HOME, else {@code $HOME/.raregen}. {@code $HOME} as every Unix tool reads it (so
     * {@code HOME=/tmp/x raregen keys new} is isolated); Java's {@code user.home} comes from the password database
     * instead, and is only the fallback when HOME is unset.
     */
    public Path home(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String h = env("RAREGEN_HOME");
        if (h != null) {
            return Path.of(h);
        }
        String home = env("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".raregen");
    }
}
