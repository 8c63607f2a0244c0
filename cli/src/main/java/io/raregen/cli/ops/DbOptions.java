package io.raregen.cli.ops;

import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** How operator commands reach Postgres directly (read replicas welcome for {@code ops}). */
public final class DbOptions {
    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Postgres JDBC URL (default: $RAREGEN_DB_URL, else $DATASOURCES_DEFAULT_URL).")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default: $DATASOURCES_DEFAULT_USERNAME, or from the URL).")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (default: $DATASOURCES_DEFAULT_PASSWORD).")
    String password;

    public Connection connect(CliEnvironment env) {
        String u = url != null ? url : env.env("RAREGEN_DB_URL") != null ? env.env("RAREGEN_DB_URL") : env.env("DATASOURCES_DEFAULT_URL");
        if (u == null) {
            throw new CliException(ExitCodes.USAGE, "NO_DATABASE",
                    "no database: pass --db jdbc:postgresql://HOST:5432/DB?user=… or set RAREGEN_DB_URL");
        }
        Properties p = new Properties();
        String usr = user != null ? user : env.env("DATASOURCES_DEFAULT_USERNAME");
        String pw = password != null ? password : env.env("DATASOURCES_DEFAULT_PASSWORD");
        if (usr != null) {
            p.setProperty("user", usr);
        }
        if (pw != null) {
            p.setProperty("password", pw);
        }
        p.setProperty("ApplicationName", "raregen-cli");
        try {
            return DriverManager.getConnection(u, p);
        } catch (SQLException e) {
            int q = u.indexOf('?');
            throw new CliException(ExitCodes.API, "DB_UNREACHABLE",
                    "cannot connect to " + (q < 0 ? u : u.substring(0, q)) + ": " + e.getMessage(), e);
        }
    }
}
