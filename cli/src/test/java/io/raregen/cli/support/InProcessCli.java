package io.raregen.cli.support;

import io.raregen.cli.RaregenCli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CLI in this JVM, with its own key directory, a passphrase in the environment and captured output. */
public final class InProcessCli {
    public record Result(int code, String out, String err) {
    }

    private final Map<String, String> vars = new HashMap<>();

    public InProcessCli(Path home, String api) {
        vars.put("RAREGEN_HOME", home.toString());
        vars.put("RAREGEN_PASSPHRASE", "end to end passphrase");
        vars.put("RAREGEN_API", api);
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(vars, new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(new byte[0]), () -> null, Clock.systemUTC());
        int code = RaregenCli.run(env, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs the command, asserts exit code 0 and returns its standard output. */
    public String ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), "raregen " + String.join(" ", args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        return r.out();
    }
}
