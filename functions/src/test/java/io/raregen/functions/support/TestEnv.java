package io.raregen.functions.support;

import io.raregen.migrations.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** A fresh migrated database and a fresh queue for one test class, and the properties that point the app at them. */
public final class TestEnv implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-operator-token";
    public static final String CALLBACK_TOKEN = "test-arc-callback-token";
    /** The receipt key of every test app (regtest WIF of private key 0x0101…01). */
    public static final io.raregen.core.keys.KeyPair RECEIPT_KEY = io.raregen.core.keys.KeyPair.fromPrivateKeyHex("01".repeat(32));

    private final TestDatabase db;
    private final String queueUrl;

    private TestEnv(TestDatabase db, String queueUrl) {
        this.db = db;
        this.queueUrl = queueUrl;
    }

    public static TestEnv create() {
        return new TestEnv(TestDatabase.create(), ElasticMq.createQueue("publish"));
    }

    /** The same on the server of {@code adminUrl} (e.g. a {@code RestartablePostgres} an outage drill stops). */
    public static TestEnv create(String adminUrl) {
        return new TestEnv(TestDatabase.create(adminUrl), ElasticMq.createQueue("publish"));
    }

    public Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", db.jdbcUrlWithoutCredentials());
        p.put("datasources.default.username", db.username());
        p.put("datasources.default.password", db.password());
        p.put("datasources.default.maximum-pool-size", "16");
        p.put("flyway.datasources.default.enabled", "false");
        p.put("raregen.queue.url", queueUrl);
        p.put("raregen.aws.endpoint", ElasticMq.endpoint());
        // tests read the queue right after a 202: answer only once SQS took the message, as a Lambda does (the
        // Netty host's own setting, false, is AnswerBeforeSendTest's and the benchmark's)
        p.put("raregen.queue.await-send", "true");
        p.put("raregen.admin.token", ADMIN_TOKEN);
        p.put("raregen.arc.callback-token", CALLBACK_TOKEN);
        p.put("raregen.receipts.signing-key", RECEIPT_KEY.toWif(io.raregen.core.keys.Network.REGTEST));
        p.put("micronaut.server.port", "-1");
        // an event stream response ends after 3 s, so a test reads it whole (EventSource would reconnect)
        p.put("raregen.events.window", "3s");
        p.put("raregen.events.poll-interval", "100ms");
        p.put("raregen.events.heartbeat", "1s");
        p.put("raregen.identity.registration-mode", "open");
        p.put("raregen.accounts.code-key", "42".repeat(32));
        return p;
    }

    public TestDatabase db() {
        return db;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public int queueDepth() {
        return ElasticMq.depth(queueUrl);
    }

    public synchronized long count(String sql, Object... args) {
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void execute(String sql, Object... args) {
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized String string(String sql, Object... args) {
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // one connection for the test's own queries: opening one per assertion costs ~50 ms
    private Connection connection;

    private synchronized Connection connection() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = db.connect();
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the database is dropped next
        }
        db.close();
    }
}
