package io.raregen.cli.commands;

import io.raregen.cli.RaregenCli;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** What every command shares: the environment, output streams and the API connection options. */
abstract class BaseCommand implements Callable<Integer> {

    static final String DEFAULT_API = "http://localhost:8080";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    CliEnvironment env() {
        return ((RaregenCli) spec.root().userObject()).environment();
    }

    PrintWriter out() {
        return env().out();
    }

    PrintWriter err() {
        return env().err();
    }

    void printJson(Object value) {
        out().println(Json.pretty(value));
        out().flush();
    }

    /** Work on one database connection. */
    interface DbWork<T> {
        T on(java.sql.Connection c) throws java.sql.SQLException;
    }

    /** Runs {@code work} on a connection from {@code db}; a database error is the command's {@code DB_ERROR}. */
    <T> T withDb(io.raregen.cli.ops.DbOptions db, DbWork<T> work) {
        try (java.sql.Connection c = db.connect(env())) {
            return work.on(c);
        } catch (java.sql.SQLException e) {
            throw new CliException(ExitCodes.API, "DB_ERROR", e.getMessage(), e);
        }
    }

    /** A titled table of display strings; "(none)" when it has no row. */
    void printResult(io.raregen.cli.ops.OpsQueries.Result r) {
        out().println(r.title());
        io.raregen.cli.support.Table t = new io.raregen.cli.support.Table(r.columns().toArray(String[]::new));
        for (java.util.List<String> row : r.rows()) {
            t.row(row.toArray());
        }
        t.print(out());
        if (r.rows().isEmpty()) {
            out().println("(none)");
        }
    }

    static CliException apiFailure(ApiException e) {
        return new CliException(ExitCodes.API, e.code(), e.getMessage(), e);
    }

    /** Options to reach the API; mixed into the commands that talk to it. */
    static final class ApiOptions {
        @CommandLine.Option(names = "--api", paramLabel = "URL",
                description = "API base URL (default: $RAREGEN_API or " + DEFAULT_API + ").")
        String api;

        @CommandLine.Option(names = "--admin-token", paramLabel = "TOKEN",
                description = "Operator bearer token (default: $RAREGEN_ADMIN_TOKEN).")
        String adminToken;

        @CommandLine.Option(names = "--http-timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Timeout of one HTTP request (default: ${DEFAULT-VALUE} s).")
        int httpTimeoutSeconds;

        ApiClient client(CliEnvironment env) {
            String url = api != null ? api : env.env("RAREGEN_API") != null ? env.env("RAREGEN_API") : DEFAULT_API;
            String token = adminToken != null ? adminToken : env.env("RAREGEN_ADMIN_TOKEN");
            return new ApiClient(url, token, Duration.ofSeconds(httpTimeoutSeconds));
        }
    }
}
