package io.raregen.cli;

import io.raregen.cli.support.CliEnvironment;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A CLI environment with captured output, chosen variables and no terminal. */
public final class TestEnv {
    public final Map<String, String> vars = new HashMap<>();
    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();
    public String stdin = "";

    public CliEnvironment env() {
        return new CliEnvironment(vars, new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), () -> null, Clock.systemUTC());
    }

    /** Runs the CLI and returns the exit code. */
    public int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return RaregenCli.run(env(), args);
    }
}
