package io.raregen.broadcaster.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.JobId;
import io.raregen.core.types.PublicKey;
import io.raregen.core.webhooks.Backoff;
import io.raregen.core.webhooks.WebhookSignature;
import io.raregen.core.webhooks.WebhookUrl;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out and delivery against a real Postgres and real HTTP receivers on loopback. */
class WebhookDeliveryTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static TestDatabase db;
    private static HikariDataSource ds;

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private ExecutorService workers;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        ds = PoolTestData.pooled(db, 20);
    }

    @AfterAll
    static void drop() {
        ds.close();
        db.close();
    }

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        if (workers != null) {
            workers.shutdownNow();
        }
        for (HttpServer s : servers) {
            s.stop(0);
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    // ---- receivers ----

    record Received(String eventId, String webhookId, String signature, byte[] body) {
        String json() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    interface Behaviour {
        void handle(HttpExchange ex, byte[] body) throws IOException;
    }

    private String receiver(List<Received> got, Behaviour behaviour) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setExecutor(Executors.newCachedThreadPool());
        s.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                behaviour.handle(ex, body);
            } catch (IOException e) {
                // the client went away
            }
            if (got != null) {
                // Recorded only after the answer was 2xx (see ok()).
            }
            ex.close();
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort() + "/hook";
    }

    private static Behaviour ok(List<Received> got) {
        return (ex, body) -> {
            got.add(new Received(ex.getRequestHeaders().getFirst("RareGen-Event-Id"),
                    ex.getRequestHeaders().getFirst("RareGen-Webhook-Id"),
                    ex.getRequestHeaders().getFirst("RareGen-Signature"), body));
            ex.sendResponseHeaders(200, -1);
        };
    }

    // ---- service under test ----

    private WebhookDeliverer deliverer(Backoff backoff, Duration timeout) {
        WebhookDeliverer d = new WebhookDeliverer(ds, backoff, timeout, true, WebhookUrl.Resolver.SYSTEM,
                new WebhookDeliverer.Listener() { }, new WebhookSettings().getMaxInFlightPerWebhook());
        closeables.add(d);
        return d;
    }

    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofHours(1));

    /** Fan-out and {@code n} delivery workers, until the test ends. */
    private void run(WebhookDeliverer d, int n) {
        WebhookFanout fanout = new WebhookFanout(ds, 500);
        workers = Executors.newFixedThreadPool(n + 1);
        workers.submit(() -> {
            while (running.get()) {
                try {
                    if (fanout.runOnce() == 0) {
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    return null;
                }
            }
            return null;
        });
        for (int i = 0; i < n; i++) {
            workers.submit(() -> {
                while (running.get()) {
                    try {
                        if (d.deliverBatch(new WebhookSettings().getClaimBatch()) == 0) {
                            Thread.sleep(20);
                        }
                    } catch (InterruptedException e) {
                        return null;
                    }
                }
                return null;
            });
        }
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        // A generous bound so a slow machine does not fail the test; no assertion on how long it took.
        for (int i = 0; i < 6000; i++) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never happened: " + what);
    }

    // ---- data ----

    private static PublicKey newIdentity() throws SQLException {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        k[0] = 0x11;
        PublicKey key = KeyPair.fromPrivateKeyHex(HexFormat.of().formatHex(k)).publicKey();
        try (Connection c = ds.getConnection()) {
            exec(c, "INSERT INTO identities (pubkey) VALUES (?)", key.hex());
        }
        return key;
    }

    private static final String SECRET = "whsec_test_secret";

    private static UUID register(PublicKey key, String url) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            exec(c, "INSERT INTO webhooks (id, pubkey, url, secret) VALUES (?, ?, ?, ?)", id, key.hex(), url, SECRET);
        }
        return id;
    }

    private static String sentJob(PublicKey key) throws SQLException {
        String id = JobId.generate().value();
        try (Connection c = ds.getConnection()) {
            exec(c, """
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)
                    VALUES (?, ?, ?, '{}', 'sig', ?)""", id, key.hex(), id, "0".repeat(64));
            exec(c, "UPDATE publish_jobs SET status = 'processing' WHERE job_id = ?", id);
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = ?, signed_at = now() WHERE job_id = ?",
                    String.format("%064x", id.hashCode() & 0xffffffffL), id);
            exec(c, "UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", id);
        }
        return id;
    }

    private static void mine(String jobId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            exec(c, "UPDATE publish_jobs SET status = 'mined', block_hash = ?, block_height = 1, mined_at = now() WHERE job_id = ?",
                    "ab".repeat(32), jobId);
        }
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    private static String one(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
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

    private static int count(String sql, Object... args) {
        return Integer.parseInt(one(sql, args));
    }

    // ---- tests ----

    @Test
    void eventsAreDeliveredSigned_inOrderPerJob() throws Exception {
        PublicKey key = newIdentity();
        List<Received> got = new CopyOnWriteArrayList<>();
        UUID hook = register(key, receiver(got, ok(got)));
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(sentJob(key));
        }
        for (String j : jobs) {
            mine(j);
        }
        run(deliverer(FAST, Duration.ofSeconds(5)), 4);
        await("10 deliveries", () -> got.size() >= 10);

        for (Received r : got) {
            assertTrue(WebhookSignature.verify(r.signature(), r.body(), SECRET, Duration.ofMinutes(5)), r.json());
            assertEquals(hook.toString(), r.webhookId());
            assertTrue(r.json().contains("\"id\":\"" + r.eventId() + "\""), r.json());
        }
        for (String j : jobs) {
            List<String> types = got.stream().filter(r -> r.json().contains(j))
                    .map(r -> r.json().contains("job.sent") ? "sent" : "mined").toList();
            assertEquals(List.of("sent", "mined"), types, j);
        }
        // the receiver saw each POST before the worker recorded its answer
        await("10 rows delivered",
                () -> count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered'", hook) == 10);
        assertEquals(10, count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?", hook));
    }

    @Test
    void receiverDown_thenUp_getsEverything() throws Exception {
        PublicKey key = newIdentity();
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicBoolean up = new AtomicBoolean(false);
        AtomicInteger refused = new AtomicInteger();
        Behaviour okay = ok(got);
        UUID hook = register(key, receiver(null, (ex, body) -> {
            if (!up.get()) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            okay.handle(ex, body);
        }));
        String a = sentJob(key);
        String b = sentJob(key);
        run(deliverer(FAST, Duration.ofSeconds(5)), 2);
        await("a few refused attempts", () -> refused.get() >= 4);
        mine(a);
        up.set(true);
        await("3 deliveries", () -> got.size() >= 3);
        assertEquals(List.of(a, a), got.stream().filter(r -> r.json().contains(a)).map(r -> a).toList());
        assertTrue(got.stream().filter(r -> r.json().contains(a)).findFirst().orElseThrow().json().contains("job.sent"));
        await("every row delivered",
                () -> count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status <> 'delivered'", hook) == 0);
        assertTrue(count("SELECT max(attempts) FROM webhook_deliveries WHERE webhook_id = ?", hook) > 1);
        assertNotNull(b);
    }

    @Test
    void gone_disablesTheWebhook() throws Exception {
        PublicKey key = newIdentity();
        AtomicInteger calls = new AtomicInteger();
        UUID hook = register(key, receiver(null, (ex, body) -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(410, -1);
        }));
        sentJob(key);
        sentJob(key);
        run(deliverer(FAST, Duration.ofSeconds(5)), 2);
        await("disabled", () -> one("SELECT disabled_at FROM webhooks WHERE id = ?", hook) != null);
        assertEquals("receiver answered 410 Gone", one("SELECT disabled_reason FROM webhooks WHERE id = ?", hook));
        // Nothing is delivered to it any more: both rows wait, undelivered.
        await("both rows written", () -> count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?", hook) == 2);
        int seen = calls.get();
        assertTrue(seen <= 2, "calls after 410: " + seen);
        assertEquals(0, count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered'", hook));
    }

    @Test
    void aHangingReceiver_doesNotHoldUpAHealthyOne() throws Exception {
        PublicKey slowKey = newIdentity();
        PublicKey fastKey = newIdentity();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowCalls = new AtomicInteger();
        UUID slow = register(slowKey, receiver(null, (ex, body) -> {
            slowCalls.incrementAndGet();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS); // sleeps 30 s (or until the test ends)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
        }));
        List<Received> got = new CopyOnWriteArrayList<>();
        register(fastKey, receiver(got, ok(got)));
        for (int i = 0; i < 3; i++) {
            sentJob(slowKey);
        }
        run(deliverer(FAST, Duration.ofSeconds(2)), 4);
        await("the slow receiver is hanging", () -> slowCalls.get() >= 1);
        List<String> fastJobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fastJobs.add(sentJob(fastKey));
        }
        await("the healthy receiver got its 5 events", () -> got.size() >= 5);
        // while the slow one has still not been answered for
        assertEquals(1L, release.getCount());
        assertEquals(0, count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered'", slow));
        await("the hang timed out and counts as a failed attempt",
                () -> count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND last_error = 'timeout'", slow) >= 1);
        release.countDown();
        assertEquals(5, fastJobs.size());
    }

    @Test
    void aSlowReceiver_holdsAtMostItsShareOfWorkers_whileAnotherReceiverIsServed() throws Exception {
        PublicKey slowKey = newIdentity();
        PublicKey fastKey = newIdentity();
        AtomicInteger slowNow = new AtomicInteger();
        AtomicInteger slowMax = new AtomicInteger();
        UUID slow = register(slowKey, receiver(null, (ex, body) -> {
            slowMax.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1500); // answers, but slowly (well within the timeout: each call here is one in flight)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slowNow.decrementAndGet();
            }
            ex.sendResponseHeaders(200, -1);
        }));
        List<Received> got = new CopyOnWriteArrayList<>();
        register(fastKey, receiver(got, ok(got)));
        // more of the slow receiver's deliveries due at once than there are workers
        for (int i = 0; i < 12; i++) {
            sentJob(slowKey);
        }
        run(deliverer(FAST, Duration.ofSeconds(10)), 4);
        await("the slow receiver is busy", () -> slowNow.get() >= 1);
        for (int i = 0; i < 5; i++) {
            sentJob(fastKey);
        }
        await("the healthy receiver got its 5 events", () -> got.size() >= 5);
        assertTrue(count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'", slow) > 0,
                "served while the slow receiver still had deliveries waiting");
        await("the slow receiver got everything too",
                () -> count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered'", slow) == 12);
        assertTrue(slowMax.get() <= new WebhookSettings().getMaxInFlightPerWebhook(),
                "the slow receiver held " + slowMax.get() + " of 4 workers at once");
    }

    @Test
    void redirects_areNotFollowed() throws Exception {
        PublicKey key = newIdentity();
        List<Received> target = new CopyOnWriteArrayList<>();
        String targetUrl = receiver(target, ok(target));
        UUID hook = register(key, receiver(null, (ex, body) -> {
            ex.getResponseHeaders().add("Location", targetUrl);
            ex.sendResponseHeaders(307, -1);
        }));
        sentJob(key);
        run(deliverer(FAST, Duration.ofSeconds(5)), 1);
        await("a failed attempt with 307",
                () -> "307".equals(one("SELECT last_status_code::text FROM webhook_deliveries WHERE webhook_id = ?", hook)));
        assertEquals(0, target.size());
        assertEquals("pending", one("SELECT status FROM webhook_deliveries WHERE webhook_id = ?", hook));
    }

    @Test
    void aHugeResponseBody_isNotReadToTheEnd() throws Exception {
        PublicKey key = newIdentity();
        AtomicInteger written = new AtomicInteger();
        UUID hook = register(key, receiver(null, (ex, body) -> {
            ex.sendResponseHeaders(200, 0); // chunked, endless
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 16 * 1024; i++) { // up to 1 GiB
                    out.write(chunk);
                    written.addAndGet(1);
                }
            }
        }));
        sentJob(key);
        run(deliverer(FAST, Duration.ofSeconds(5)), 1);
        await("delivered", () -> "delivered".equals(one("SELECT status FROM webhook_deliveries WHERE webhook_id = ?", hook)));
        assertTrue(written.get() < 16 * 1024, "the receiver was able to write the whole gigabyte");
    }

    @Test
    void deadAfterMaxAge_thenReplayed_isDelivered() throws Exception {
        PublicKey key = newIdentity();
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicBoolean up = new AtomicBoolean(false);
        Behaviour okay = ok(got);
        UUID hook = register(key, receiver(null, (ex, body) -> {
            if (!up.get()) {
                ex.sendResponseHeaders(500, -1);
                return;
            }
            okay.handle(ex, body);
        }));
        String job = sentJob(key);
        Backoff shortLived = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(300));
        run(deliverer(shortLived, Duration.ofSeconds(5)), 1);
        await("dead", () -> "dead".equals(one("SELECT status FROM webhook_deliveries WHERE webhook_id = ?", hook)));
        assertEquals("http 500", one("SELECT last_error FROM webhook_deliveries WHERE webhook_id = ?", hook));
        up.set(true);
        // The replay endpoint's statement.
        try (Connection c = ds.getConnection()) {
            exec(c, WebhookReplay.SQL, hook);
        }
        await("delivered after replay", () -> got.size() == 1);
        assertTrue(got.get(0).json().contains(job));
        await("recorded as delivered", () -> "delivered".equals(one("SELECT status FROM webhook_deliveries WHERE webhook_id = ?", hook)));
    }

    @Test
    void twoFanoutsAtOnce_writeNoDuplicates() throws Exception {
        PublicKey key = newIdentity();
        UUID hook = register(key, "https://hooks.example.com/none");
        try (Connection c = ds.getConnection()) {
            exec(c, "UPDATE webhooks SET disabled_at = now() WHERE id <> ?", hook); // other tests' hooks stay out
        }
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            sentJob(key);
        }
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                WebhookFanout f = new WebhookFanout(ds, 7);
                fs.add(two.submit(() -> {
                    int n = 0;
                    for (int k = 0; k < 200 && count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?", hook) < jobs; k++) {
                        n += f.runOnce();
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        } finally {
            two.shutdownNow();
        }
        assertEquals(jobs, count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?", hook));
        assertEquals(jobs, count("SELECT count(DISTINCT event_id) FROM webhook_deliveries WHERE webhook_id = ?", hook));
    }
}
