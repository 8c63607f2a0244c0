package io.raregen.migrations;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, migrated Postgres database for one test class, created on a real server.
 *
 * <p>The server is taken from {@code -Draregen.test.jdbc.url} or the environment variable
 * {@code RAREGEN_TEST_JDBC_URL} (an admin URL, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), defaulting to the machine's
 * local service. If nothing answers there, an embedded Postgres is started once per JVM where
 * the platform allows it; otherwise {@link #create()} fails with one line saying what to start.
 * Each call creates its own database, so tests never share rows; {@link #close()} drops it.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static String resolvedAdminUrl;
    private static EmbeddedPostgres embedded;

    private final String adminUrl;
    private final String name;
    private final String url;

    private TestDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = withDatabase(adminUrl, name);
    }

    /** Creates a new empty database and migrates it with every Flyway migration. */
    public static TestDatabase create() {
        TestDatabase db = createEmpty();
        db.migrate();
        return db;
    }

    /** Creates a new migrated database on the server of {@code adminUrl} (e.g. a {@link RestartablePostgres}). */
    public static TestDatabase create(String adminUrl) {
        TestDatabase db = createEmpty(adminUrl);
        db.migrate();
        return db;
    }

    /** Creates a new database with no schema (for migration tests). */
    public static TestDatabase createEmpty() {
        return createEmpty(adminUrl());
    }

    private static TestDatabase createEmpty(String admin) {
        String name = "raregen_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + redact(admin) + ": " + e.getMessage(), e);
        }
        return new TestDatabase(admin, name);
    }

    /** Runs the project's migrations (classpath:db/migration) against this database. */
    public void migrate() {
        flyway().migrate();
    }

    public Flyway flyway() {
        return Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load();
    }

    /** JDBC URL of this database, credentials included as URL parameters. */
    public String jdbcUrl() {
        return url;
    }

    /** JDBC URL without the user/password parameters, for frameworks that take them separately. */
    public String jdbcUrlWithoutCredentials() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    public String username() {
        return param(url, "user", "postgres");
    }

    public String password() {
        return param(url, "password", "");
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // best effort: a leftover test database is harmless and has a recognisable name
        }
    }

    static synchronized String adminUrl() {
        if (resolvedAdminUrl != null) {
            return resolvedAdminUrl;
        }
        String configured = System.getProperty("raregen.test.jdbc.url");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("RAREGEN_TEST_JDBC_URL");
        }
        boolean explicit = configured != null && !configured.isBlank();
        String candidate = explicit ? configured : DEFAULT_ADMIN_URL;
        SQLException failure;
        try (Connection ignored = DriverManager.getConnection(candidate)) {
            resolvedAdminUrl = candidate;
            return candidate;
        } catch (SQLException e) {
            failure = e;
        }
        if (!explicit) {
            try {
                embedded = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stopEmbedded));
                resolvedAdminUrl = embedded.getJdbcUrl("postgres", "postgres");
                return resolvedAdminUrl;
            } catch (Exception | LinkageError embeddedFailure) {
                failure.addSuppressed(embeddedFailure);
            }
        }
        throw new IllegalStateException(String.format(Locale.ROOT,
                "No Postgres for tests at %s (%s) and no embedded fallback: start the local service "
                        + "(pg_ctlcluster 15 main start) or set RAREGEN_TEST_JDBC_URL to an admin JDBC URL",
                redact(candidate), failure.getMessage()), failure);
    }

    private static void stopEmbedded() {
        try {
            if (embedded != null) {
                embedded.close();
            }
        } catch (Exception ignored) {
            // JVM is exiting
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String query = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + query;
    }

    private static String param(String jdbcUrl, String key, String fallback) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return fallback;
        }
        for (String kv : jdbcUrl.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(key)) {
                return kv.substring(eq + 1);
            }
        }
        return fallback;
    }

    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***");
    }
}
