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

    public static LocalDatabase open(LocalStackOptions o, Owner owner, Log log) throws IOException, SQLException {
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
            String mark = comment(c, o.dbName());
            if (mark == null || mark.isEmpty()) {
                // created just now, or by a launcher from before marks: ours only if nothing in it says otherwise
                if (db.holdsForeignOutputs(owner)) {
                    throw foreign(o, "its UTXO pool pays other keys");
                }
                s.execute("COMMENT ON DATABASE " + o.dbName() + " IS '" + owner.mark() + "'");
            } else if (!mark.equals(owner.mark())) {
                throw foreign(o, "pool " + mark.substring(Owner.PREFIX.length()) + "; this state directory's pool is "
                        + owner.poolAddress());
            }
        }
        return db;
    }

    /**
     * Which local stack a database serves: the pool key's address, from the state directory's secrets. A new
     * state directory (a second clone, or {@code rm -rf .raregen-local}) has a new pool key and a new chain, so a
     * database left by another one holds outputs this stack can neither sign for nor find on its chain: every
     * publish would fail. The mark is kept as the database's comment.
     */
    public record Owner(String poolAddress, byte[] poolScript, byte[] fundingScript) {
        static final String PREFIX = "raregen-local stack ";

        public static Owner of(LocalSecrets secrets) {
            return new Owner(secrets.poolKey().address(io.raregen.core.keys.Network.REGTEST), secrets.poolKey().p2pkhLockingScript(), secrets.fundingKey().p2pkhLockingScript());
        }

        String mark() {
            return PREFIX + poolAddress;
        }
    }

    /** The one-line fix is part of the message: the launcher prints it and stops. */
    public static final class ForeignDatabaseException extends IOException {
        ForeignDatabaseException(String message) {
            super(message);
        }
    }

    private static ForeignDatabaseException foreign(LocalStackOptions o, String why) {
        return new ForeignDatabaseException("database " + o.dbName() + " was left by another local stack (" + why
                + "), so every publish would fail. Start over with `./raregen local --fresh` (drops it), or keep it and use another database: "
                + "`./raregen local --db-name raregen_local_2`");
    }

    private static String comment(Connection c, String dbName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            ps.setString(1, dbName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** True when the pool table has rows and none of them pays the owner's pool or funding key. */
    private boolean holdsForeignOutputs(Owner owner) throws SQLException {
        try (Connection c = connect()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('public.utxos') IS NOT NULL")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM utxos), "
                    + "EXISTS (SELECT 1 FROM utxos WHERE script_pub_key IN (?, ?))")) {
                ps.setBytes(1, owner.poolScript());
                ps.setBytes(2, owner.fundingScript());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) && !rs.getBoolean(2);
                }
            }
        }
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
