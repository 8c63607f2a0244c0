package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.collector.BatchCollector;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.keys.Network;
import io.raregen.core.types.BatchId;
import io.raregen.migrations.RestartablePostgres;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #20: Postgres goes away (fast shutdown) for a few seconds in the middle of a drain and comes back on the same
 * port with the same data. The SAME pipeline instance (nothing restarted; Hikari reconnects) finishes every job: each
 * is sent exactly once with a transaction the chain accepted, no outpoint is an input of two signed transactions, the
 * pool balances, no UTXO stays reserved, every queue message is gone, and the log carries neither a stack-trace flood
 * nor a secret.
 *
 * <p>{@link Isolated}: it counts every log line of the JVM during the outage, so no other test class runs beside it.
 */
@Isolated("counts the log lines of the whole JVM")
class PostgresRestartDuringDrainTest {
    static final int N = 400;
    static final String DB_PASSWORD = "drill-password-3f9c1e";

    // one private server and one queue service for the class (each test has its own database and queue)
    static RestartablePostgres pg;
    static LocalSqs sqs;
    TestKit kit;
    ListAppender<ILoggingEvent> logs;
    Logger root;
    long t0;

    @BeforeAll
    static void servers() {
        pg = RestartablePostgres.start("drain");
        sqs = new LocalSqs();
    }

    @AfterAll
    static void stopServers() {
        if (sqs != null) {
            sqs.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private void mark(String what) {
        System.out.printf("[%6d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, what);
    }

    void start(long connectionTimeoutMs) {
        t0 = System.nanoTime();
        // trust auth ignores the password; it is there to prove that no log line carries it
        kit = new TestKit(TestDatabase.create(pg.adminUrl()), hc -> {
            hc.addDataSourceProperty("password", DB_PASSWORD);
            hc.setConnectionTimeout(connectionTimeoutMs);
        }).withChain();
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        if (logs != null) {
            root.detachAppender(logs);
        }
        // the server is up again whatever the test did
        pg.start();
        if (kit != null) {
            kit.close();
        }
    }

    /** Hikari's default wait for a connection (30 s) outlasts the outage: database calls wait for the server to return. */
    @Test
    void callsWaitOutTheOutage_theSamePipelineFinishesEveryJobOnce() throws Exception {
        start(30_000);
        drill(kit.fastRecovery(), PipelineHooks.NONE, this::outageOnceTheDrainIsGoing);
    }

    /** A wait of 500 ms: every kind of database call fails during the outage (claim, store, results, loops). */
    @Test
    void callsFailDuringTheOutage_theSamePipelineFinishesEveryJobOnce() throws Exception {
        start(500);
        drill(kit.fastRecovery(), PipelineHooks.NONE, this::outageOnceTheDrainIsGoing);
    }

    /**
     * The outage begins exactly between a batch's reservation (committed) and the transaction that would store it:
     * the store fails, and so would the clean-up. With the production rescue threshold (2 min) and lease (5 min) the
     * batch's UTXOs and jobs must come back as soon as the database does, not when the lease or the rescuer runs out.
     */
    @Test
    void outageBetweenReserveAndStore_reservationsAndJobsComeBackWithTheDatabase() throws Exception {
        start(500);
        RecoverySettings rp = kit.fastRecovery();
        rp.setRescueProcessingAfter(Duration.ofMinutes(2));
        AtomicBoolean fired = new AtomicBoolean();
        CountDownLatch restarted = new CountDownLatch(1);
        PipelineHooks hooks = new PipelineHooks() {
            @Override
            public void beforeStore(BatchId batchId) {
                if (storesAttempted.incrementAndGet() == 3 && fired.compareAndSet(false, true)) {
                    // the third batch: reserved and signed, not stored
                    outageStart = System.nanoTime();
                    pg.stop();
                    Thread restart = new Thread(() -> {
                        sleep(OUTAGE_MS);
                        pg.start();
                        outageEnd = System.nanoTime();
                        restarted.countDown();
                    }, "pg-restart");
                    restart.start();
                }
            }
        };
        drill(rp, hooks, () -> {
            assertTrue(restarted.await(60, TimeUnit.SECONDS), "the hook's outage happened");
        });
    }

    final AtomicInteger storesAttempted = new AtomicInteger();
    volatile long outageStart;
    volatile long outageEnd;
    static final long OUTAGE_MS = 4000;

    /** Waits until 60 jobs are sent, then stops Postgres for {@link #OUTAGE_MS} and starts it again. */
    private void outageOnceTheDrainIsGoing() throws Exception {
        assertEquals(60, kit.awaitScalar("SELECT least(count(*), 60) FROM job_states WHERE status IN ('sent', 'mined')",
                60, Duration.ofSeconds(30)), "the drain got going before the outage");
        System.out.println("jobs when the outage began: "
                + String.join(", ", kit.strings("SELECT status || ' ' || count(*) FROM publish_jobs GROUP BY status")));
        outageStart = System.nanoTime();
        pg.stop();
        Thread.sleep(OUTAGE_MS);
        pg.start();
        outageEnd = System.nanoTime();
    }

    interface Outage {
        void run() throws Exception;
    }

    private void drill(RecoverySettings rp, PipelineHooks hooks, Outage outage) throws Exception {
        kit.fundPool(N + 20, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> ids = kit.insertJobs(N);
        // a message whose claim failed comes back after its visibility timeout: 5 s keeps the drill short
        String queue = sqs.createQueue(5);
        sqs.sendJobIds(queue, ids);
        // batches of 20 with ARC answers held 150 ms: many batches are between claim, reserve, store, send and
        // result when the outage hits
        kit.chain.faults().latencyMs(150);
        PipelineSettings pp = kit.fastPipeline();
        pp.setMaxBatchSize(20);

        Heartbeats heartbeats = new Heartbeats();
        PublishPipeline p = kit.pipeline(pp, rp, RateLimiter.unlimited(), sqs.client, queue, hooks, "drill",
                new SimpleMeterRegistry(), heartbeats);
        int logsBefore = logs.list.size();
        mark("funded, jobs inserted and queued");
        p.start();
        try {
            outage.run();
            mark("outage over: " + (outageEnd - outageStart) / 1_000_000 + " ms down");

            long done = awaitCount("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')", N, Duration.ofSeconds(40));
            long recoveredMs = (System.nanoTime() - outageEnd) / 1_000_000;
            assertEquals(N, done, "every job sent after the restart: " + kit.strings(
                    "SELECT status || ' ' || count(*) FROM publish_jobs GROUP BY status"));
            System.out.printf("all %d jobs sent %d ms after Postgres came back%n", N, recoveredMs);
            awaitQueueEmpty(queue);
            mark("queue empty");
            assertEquals(0, awaitCount("SELECT count(*) FROM utxos WHERE status = 'reserved'", 0, Duration.ofSeconds(10)),
                    "no reservation left behind");
            // the pipeline's own threads survived: the collector still beats
            assertTrue(heartbeats.statuses().get(BatchCollector.HEARTBEAT).healthy(), "collector alive: " + heartbeats.statuses());
        } finally {
            p.close();
            mark("pipeline closed");
        }

        Invariants.assertAllPublished(kit, ids);
        Invariants.assertConservation(kit, poolBefore);
        assertEquals(N, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'sent'"), "sent once each");
        assertEquals(0, kit.pool.snapshot().conservationGapSats());

        mark("invariants checked");
        List<ILoggingEvent> events = new ArrayList<>(logs.list.subList(logsBefore, logs.list.size()));
        report(events);
        // an outage is one line per failed attempt of ours, never a stack trace; Hikari reports each broken
        // connection once (at most the pool's size)
        List<String> ours = events.stream().filter(e -> e.getThrowableProxy() != null && e.getLoggerName().startsWith("io.raregen.broadcaster"))
                .map(e -> e.getFormattedMessage() + " [" + e.getThrowableProxy().getClassName() + "]").toList();
        assertEquals(List.of(), ours, "stack traces for an outage");
        assertTrue(events.size() <= 150, events.size() + " log lines for one " + OUTAGE_MS + " ms outage: " + summary(events));

        String secretKey = kit.poolKey.privateKeyHex();
        String wif = kit.poolKey.toWif(Network.REGTEST);
        for (ILoggingEvent e : logs.list) {
            String text = e.getFormattedMessage() + " " + throwableText(e.getThrowableProxy());
            assertFalse(text.contains(DB_PASSWORD) || text.contains(secretKey) || text.contains(wif), "secret in the log: " + text);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls {@code sql} on connections of its own (not the pipeline's pool, whose reconnecting is under test) until
     * it returns {@code expected}; a failed query counts as not yet.
     */
    private long awaitCount(String sql, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long v = -1;
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection c = kit.db.connect(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                v = rs.getLong(1);
                if (v == expected) {
                    return v;
                }
            } catch (java.sql.SQLException e) {
                // the server is still starting: try again
            }
            Thread.sleep(100);
        }
        return v;
    }

    private void awaitQueueEmpty(String queue) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (sqs.depth(queue) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, sqs.depth(queue), "every message deleted once its job was claimed");
    }

    private static void report(List<ILoggingEvent> events) {
        System.out.println("log events (WARN and above) from the outage on: " + events.size() + ", with stack trace: "
                + events.stream().filter(e -> e.getThrowableProxy() != null).count());
        summary(events).forEach((k, v) -> System.out.println("  " + v + " x " + k));
    }

    private static Map<String, Integer> summary(List<ILoggingEvent> events) {
        Map<String, Integer> m = new TreeMap<>();
        for (ILoggingEvent e : events) {
            String key = e.getLevel() + " " + e.getLoggerName() + ": " + e.getMessage()
                    + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]");
            m.merge(key, 1, Integer::sum);
        }
        return m;
    }

    private static String throwableText(IThrowableProxy t) {
        StringBuilder b = new StringBuilder();
        for (IThrowableProxy x = t; x != null; x = x.getCause()) {
            b.append(x.getClassName()).append(": ").append(x.getMessage()).append(' ');
        }
        return b.toString();
    }
}
