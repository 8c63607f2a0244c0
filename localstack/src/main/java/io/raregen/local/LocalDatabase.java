package io.raregen.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Postgres for the local stack: the server at the configured admin URL when it answers (the
 * machine's service), else an embedded one whose data lives in {@code <stateDir>/pg}. Either way
 * the stack's own database is created if missing (dropped first with --fresh).
 */
public final class LocalDatabase implements AutoCloseable {
    private final String adminUrl;
    private final String name;
    private final EmbeddedPostgres embedded;

    private LocalDatabase(String adminUrl, String name, EmbeddedPostgres embedded) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.embedded = embedded;
    }

    public static LocalDatabase open(LocalStackOptions o, Log log) throws IOException, SQLException {
        EmbeddedPostgres embedded = null;
        String admin = o.dbUrl();
        if (!answers(admin)) {
            Path data = o.stateDir().resolve("pg");
            log.info("no Postgres answers at " + redact(admin) + "; starting an embedded one (data in " + data + ")");
            Files.createDirectories(data);
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(o.embeddedDbPort())
                    .start();
            admin = embedded.getJdbcUrl("postgres", "postgres");
        }
        LocalDatabase db = new LocalDatabase(admin, o.dbName(), embedded);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            if (o.fresh()) {
                s.execute("DROP DATABASE IF EXISTS " + o.dbName() + " WITH (FORCE)");
            }
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, o.dbName());
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + o.dbName());
                log.info("created database " + o.dbName());
            }
        }
        return db;
    }

    static boolean answers(String url) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    /** JDBC URL of the stack's database, without credentials. */
    public String url() {
        String base = adminUrl;
        int q = base.indexOf('?');
        String params = q < 0 ? "" : base.substring(q);
        base = q < 0 ? base : base.substring(0, q);
        int slash = base.lastIndexOf('/');
        String prefix = base.substring(0, slash + 1);
        return prefix + name + stripCredentials(params);
    }

    /** JDBC URL with the credentials as parameters (for the CLI's --db and our own connections). */
    public String urlWithCredentials() {
        String u = url();
        String sep = u.contains("?") ? "&" : "?";
        return u + sep + "user=" + username() + (password().isEmpty() ? "" : "&password=" + password());
    }

    public String username() {
        return param(adminUrl, "user", "postgres");
    }

    public String password() {
        return param(adminUrl, "password", "");
    }

    public boolean embedded() {
        return embedded != null;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(urlWithCredentials());
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // the process is going away anyway
            }
        }
    }

    private static String stripCredentials(String params) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String kv : params.substring(1).split("&")) {
            String k = kv.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (k.equals("user") || k.equals("password") || kv.isEmpty()) {
                continue;
            }
            sb.append(sb.length() == 0 ? "?" : "&").append(kv);
        }
        return sb.toString();
    }

    static String param(String url, String key, String dflt) {
        int q = url.indexOf('?');
        if (q < 0) {
            return dflt;
        }
        for (String kv : url.substring(q + 1).split("&")) {
            String[] p = kv.split("=", 2);
            if (p[0].equalsIgnoreCase(key) && p.length == 2) {
                return p[1];
            }
        }
        return dflt;
    }

    static String redact(String url) {
        return url.replaceAll("(?i)password=[^&]*", "password=***");
    }
}
