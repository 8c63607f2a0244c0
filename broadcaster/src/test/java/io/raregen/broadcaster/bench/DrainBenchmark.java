package io.raregen.broadcaster.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.PostgresRateLimiter;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.QueueMessages;
import io.raregen.broadcaster.support.JobIds;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.broadcaster.support.TestKit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drain-rate benchmark (a program, not a test). Pre-queues N jobs (rows + SQS messages), funds the
 * pool from a local chain with script verification off, then runs the pipeline until every job is
 * sent. Modes: {@code queue} (backlog claim off: every job comes through its message),
 * {@code backlog} (backlog claim on), {@code sustained} (rate limit 500 tx / 3 s, jobs fed steadily).
 *
 * <p>{@code -Dbench.webhooks=fast|slow} compares, in the same run, drains without and with a webhook registered for
 * the client's key (so every job's sent event is delivered): rounds of {@code bench.rounds} (3) pairs, A (none) and B
 * (webhook) alternating so that table growth and machine noise fall on both. {@code fast}: the receiver answers 204
 * at once; {@code slow}: it sleeps 30 s per call (the delivery times out after 10 s). Webhook fan-out and 8 delivery
 * workers run in the same JVM as the pipeline, against the same Postgres, the whole time.
 *
 * <pre>java -Xmx256m -cp ... io.raregen.broadcaster.bench.DrainBenchmark backlog 20000</pre>
 */
public final class DrainBenchmark {

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "backlog";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int feedPerSecond = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        // -Dbench.warmup=N: jobs drained (untimed) first, so the timed drain runs on compiled code as a
        // long-running broadcaster does; 0 measures a cold JVM (the figures before 2026-11-23)
        int warmup = "sustained".equals(mode) ? 0 : Integer.getInteger("bench.warmup", 5_000);
        try (TestKit kit = new TestKit().withChain(b -> b.skipScriptValidation(true).httpThreads(8));
             LocalSqs sqs = new LocalSqs()) {
            // -Dbench.history=N: N published jobs and the spends rows of their spent pool outputs (which since V51 are
            // all that stays of them) already in the tables, as after months of service, so that a statement whose
            // cost grows with the tables shows here.
            // -Dbench.historyState=mined (default since 2026-12-04 V40: finished jobs, with their audit sets, as a
            // long-running service holds them) or sent (the figures before: jobs still waiting for a block)
            // -Dbench.historyNonces=sorted (default: 'history-N', all sorting before the drain's 'n-<uuid>' nonces, the
            // figures before 2026-12-05 23:40) or random ('n-<uuid>' like the drain's and like real clients' nonces,
            // so that every new entry of the nonces' index lands among the history's)
            int history = Integer.getInteger("bench.history", 0);
            if (history > 0) {
                long h0 = System.nanoTime();
                String state = System.getProperty("bench.historyState", "mined");
                insertHistory(kit, history, state);
                System.out.printf("history: %d %s jobs, %d spends rows, %d audit sets (%d rows) in %.1f s%n",
                        history, state, history, kit.scalar("SELECT count(*) FROM publish_job_transition_sets"),
                        kit.scalar("SELECT (SELECT count(*) FROM publish_jobs) + (SELECT count(*) FROM utxos)"
                                + " + (SELECT count(*) FROM spends) + (SELECT count(*) FROM publish_job_transition_sets)"),
                        (System.nanoTime() - h0) / 1e9);
            }
            long t0 = System.nanoTime();
            int funded = 0;
            // the webhook comparison drains n jobs twice per round
            int drains = System.getProperty("bench.webhooks", "").isEmpty() ? 1 : 2 * Integer.getInteger("bench.rounds", 3);
            int need = warmup + n * drains + 100;
            while (funded < need) {
                int k = Math.min(5_000, need - funded);
                kit.fundPool(k, 1000);
                funded += k;
            }
            String queue = sqs.createQueue();
            System.out.printf("setup: %d pool UTXOs in %.1f s%n", funded, (System.nanoTime() - t0) / 1e9);
            if ("sustained".equals(mode)) {
                PublishPipeline p = kit.pipeline(pipelineProperties(mode), recoveryProperties(mode),
                        new PostgresRateLimiter(kit.ds, "bench", 500, Duration.ofSeconds(3)), sqs.client, queue, PipelineHooks.NONE, "bench");
                p.start();
                sustained(kit, sqs, queue, p, seconds, feedPerSecond);
                p.close();
            } else {
                String webhooks = System.getProperty("bench.webhooks", "");
                try (WebhookLoad hooks = webhooks.isEmpty() ? null : WebhookLoad.start(kit, webhooks)) {
                    if (warmup > 0) {
                        System.out.printf("warm-up: %d jobs%s%n", warmup, hooks == null ? "" : ", with the webhook (its code warms up too)");
                        if (hooks != null) {
                            hooks.enabled(true);
                        }
                        drain(kit, sqs, queue, mode, warmup, peakHeap, false, hooks);
                        if (hooks != null) {
                            awaitDelivered(kit, hooks);
                            hooks.enabled(false);
                        }
                    }
                    if (hooks == null) {
                        // -Dbench.indexReads=true: which indexes the timed drain read from outside shared_buffers
                        boolean indexReads = Boolean.getBoolean("bench.indexReads");
                        List<String> before = indexReads ? indexBlocks(kit) : List.of();
                        drain(kit, sqs, queue, mode, n, peakHeap, true);
                        if (indexReads) {
                            printIndexReads(before, indexBlocks(kit), n);
                        }
                    } else {
                        compareWebhooks(kit, sqs, queue, mode, n, peakHeap, hooks);
                    }
                }
            }
            System.out.printf("failed=%d, distinct txids=%d of %d jobs, batches=%d%n",
                    kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed'"),
                    kit.scalar("SELECT count(DISTINCT txid) FROM publish_jobs"),
                    kit.scalar("SELECT count(*) FROM publish_jobs"),
                    kit.scalar("SELECT count(*) FROM publish_batches"));
        }
        System.exit(0);
    }

    /** Per index: "name blocks-read blocks-hit" (pg_statio_user_indexes; the statistics are flushed first). */
    private static List<String> indexBlocks(TestKit kit) {
        kit.strings("SELECT pg_stat_force_next_flush()::text");
        return kit.strings("SELECT indexrelname || ' ' || idx_blks_read || ' ' || idx_blks_hit FROM pg_statio_user_indexes");
    }

    private static void printIndexReads(List<String> before, List<String> after, int n) {
        java.util.Map<String, long[]> b = new java.util.HashMap<>();
        for (String row : before) {
            String[] f = row.split(" ");
            b.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        List<String[]> rows = new java.util.ArrayList<>();
        for (String row : after) {
            String[] f = row.split(" ");
            long[] was = b.getOrDefault(f[0], new long[2]);
            rows.add(new String[] {f[0], Long.toString(Long.parseLong(f[1]) - was[0]), Long.toString(Long.parseLong(f[2]) - was[1])});
        }
        rows.sort((x, y) -> Long.compare(Long.parseLong(y[1]), Long.parseLong(x[1])));
        System.out.println("index blocks per job in the timed drain, read from outside shared_buffers | found in it:");
        for (String[] r : rows.subList(0, Math.min(10, rows.size()))) {
            System.out.printf("  %-45s %8.2f %8.2f%n", r[0], Long.parseLong(r[1]) / (double) n, Long.parseLong(r[2]) / (double) n);
        }
    }

    /**
     * Old rows written straight in their final state: the transition triggers are off for this session
     * (session_replication_role = replica; the benchmark connects as a superuser), as a restore would. Mined jobs come
     * with what a service that wrote them holds: a block, and their audit sets (queued, signed, sent, mined; 500 jobs
     * per set, as batches write them; written long ago, so no event reader waits on them).
     */
    private static void insertHistory(TestKit kit, int n, String state) {
        boolean mined = "mined".equals(state);
        if (!mined && !"sent".equals(state)) {
            throw new IllegalArgumentException("bench.historyState is mined or sent, not " + state);
        }
        String pubkey = kit.strings("SELECT pubkey FROM identities LIMIT 1").get(0);
        String nonces = System.getProperty("bench.historyNonces", "sorted");
        String nonce = switch (nonces) {
            case "sorted" -> "'history-' || g";
            case "random" -> "'n-' || md5('history-' || g)::uuid::text";
            default -> throw new IllegalArgumentException("bench.historyNonces is sorted or random, not " + nonces);
        };
        try (Connection c = kit.ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET session_replication_role = replica");
            // ids '000…0g': valid ULIDs (the confirmation tracker reads sent rows as JobIds), older than any real one
            st.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, status,
                           txid, fee_sats, created_at, processing_at, signed_at, sent_at, attempts,
                           mined_at, block_hash, block_height)
                    SELECT '0' || lpad(g::text, 25, '0'), '%s', %s, repeat('p', 220), repeat('s', 96),
                           encode(sha256(g::text::bytea), 'hex'), '%s',
                           encode(sha256(('tx' || g)::bytea), 'hex'), 25, now() - interval '30 days', now() - interval '30 days',
                           now() - interval '30 days', now() - interval '30 days', 1,
                           %s
                    FROM generate_series(1, %d) g""".formatted(pubkey, nonce, state, mined
                    ? "now() - interval '30 days', encode(sha256(('block' || g / 5000)::bytea), 'hex'), 800000 + g / 5000"
                    : "NULL, NULL, NULL", n));
            // their transactions' bytes where the store writes them (V43)
            st.execute("""
                    INSERT INTO publish_job_transactions (job_id, raw_tx)
                    SELECT '0' || lpad(g::text, 25, '0'), decode(repeat('00', 240), 'hex') FROM generate_series(1, %d) g""".formatted(n));
            if (mined) {
                st.execute("""
                        INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids, at, xact)
                        SELECT nextval('publish_job_transition_sets_id_seq'), t.f, t.t,
                               array_agg('0' || lpad(g::text, 25, '0') ORDER BY g),
                               CASE WHEN t.f IS NOT NULL THEN array_agg(encode(sha256(('tx' || g)::bytea), 'hex') ORDER BY g) END,
                               now() - interval '30 days', ((g - 1) / 500 * 4 + t.k + 3)::text::xid8
                        FROM generate_series(1, %d) g,
                             (VALUES (0, NULL, 'queued'), (1, 'queued', 'signed'), (2, 'signed', 'sent'), (3, 'sent', 'mined')) t(k, f, t)
                        GROUP BY (g - 1) / 500, t.k, t.f, t.t
                        ORDER BY (g - 1) / 500, t.k""".formatted(n));
            }
            // a spent output left the pool (V51): what stays of it is its spends row, with its script
            st.execute("""
                    INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis, script_pub_key)
                    SELECT encode(sha256(('out' || g)::bytea), 'hex'), 1, encode(sha256(('tx' || g)::bytea), 'hex'),
                           '0' || lpad(g::text, 25, '0'), 975, decode(repeat('76', 25), 'hex')
                    FROM generate_series(1, %d) g""".formatted(n));
            st.execute("SET session_replication_role = DEFAULT");
            st.execute("VACUUM ANALYZE publish_jobs");
            st.execute("VACUUM ANALYZE utxos");
            st.execute("VACUUM ANALYZE spends");
            st.execute("VACUUM ANALYZE publish_job_transition_sets");
            // the insert wrote GBs of WAL and would start a checkpoint somewhere in the timed drain (its writes and the
            // full-page images after it at a different moment in every run): finish one now, so that every run starts
            // the same way, the warm-up and the timed drain after a completed checkpoint
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new IllegalStateException("history insert failed", e);
        }
    }

    /** Alternates drains without (A) and with (B) a webhook for the client's key; prints each rate and the ratio. */
    private static void compareWebhooks(TestKit kit, LocalSqs sqs, String queue, String mode, int n, AtomicLong peakHeap,
                                        WebhookLoad hooks) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            hooks.enabled(false);
            double a = drain(kit, sqs, queue, mode, n, peakHeap, true, hooks);
            without.add(a);
            hooks.enabled(true);
            long deliveredBefore = hooks.received();
            long bStart = System.nanoTime();
            double b = drain(kit, sqs, queue, mode, n, peakHeap, true, hooks);
            with.add(b);
            long duringB = hooks.received() - deliveredBefore;
            // a fast receiver's deliveries finish before the next A, so that none of B's work falls on A (a slow
            // receiver's never would: two calls at a time, each timing out after 10 s)
            awaitDelivered(kit, hooks);
            double total = (System.nanoTime() - bStart) / 1e9;
            System.out.printf("round %d: without webhooks %.0f tx/s, with a %s webhook %.0f tx/s (B/A %.3f); receiver got %d"
                            + " calls during B's drain%s%n",
                    r, a, hooks.kind, b, b / a, duringB, hooks.kind.equals("fast")
                            ? String.format(", all %d delivered %.1f s after B started (%.0f deliveries/s)", n, total, n / total) : "");
        }
        hooks.enabled(false);
        double ma = median(without);
        double mb = median(with);
        System.out.printf("webhooks=%s: median without %.0f tx/s, with %.0f tx/s, ratio %.3f (%d rounds of %d jobs each)%n",
                hooks.kind, ma, mb, mb / ma, rounds, n);
        System.out.printf("webhook deliveries: %s%n", kit.strings("SELECT status || '=' || count(*) FROM webhook_deliveries GROUP BY status"));
    }

    /** Waits for a fast receiver's deliveries to be done (a slow one's never would). */
    private static void awaitDelivered(TestKit kit, WebhookLoad hooks) throws InterruptedException {
        long waitStart = System.nanoTime();
        while (hooks.kind.equals("fast") && kit.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'") > 0
                && System.nanoTime() - waitStart < TimeUnit.MINUTES.toNanos(10)) {
            Thread.sleep(200);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    /** Pre-queues {@code n} jobs (rows + messages), then runs a fresh pipeline until all of them are sent; returns tx/s. */
    private static double drain(TestKit kit, LocalSqs sqs, String queue, String mode, int n, AtomicLong peakHeap, boolean report)
            throws Exception {
        return drain(kit, sqs, queue, mode, n, peakHeap, report, null);
    }

    private static double drain(TestKit kit, LocalSqs sqs, String queue, String mode, int n, AtomicLong peakHeap, boolean report,
                                WebhookLoad hooks) throws Exception {
        List<String> ids = kit.insertJobs(n);
        // -Dbench.idsPerMessage=N: messages in the intake's packed form ({"jobIds":[…]}, N ids each);
        // 1 (default) is one message per job, the worst case for the queue path
        int perMessage = Integer.getInteger("bench.idsPerMessage", 1);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += perMessage) {
            bodies.add(QueueMessages.body(JobIds.of(ids.subList(i, Math.min(ids.size(), i + perMessage)))));
        }
        ExecutorService ex = Executors.newFixedThreadPool(4);
        int chunk = (bodies.size() + 3) / 4;
        for (int i = 0; i < 4; i++) {
            List<String> part = bodies.subList(Math.min(bodies.size(), i * chunk), Math.min(bodies.size(), (i + 1) * chunk));
            ex.execute(() -> sqs.sendBodies(queue, part));
        }
        ex.shutdown();
        ex.awaitTermination(10, TimeUnit.MINUTES);
        // fresh tables of 20,000 rows: give the planner statistics as a live database would have
        kit.sql("ANALYZE");
        PipelineSettings pp = pipelineProperties(mode);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PublishPipeline p = kit.pipeline(pp, recoveryProperties(mode), RateLimiter.unlimited(), sqs.client, queue,
                PipelineHooks.NONE, "bench", registry);
        if (hooks != null && Boolean.parseBoolean(System.getProperty("bench.webhookYield", "true"))) {
            hooks.yieldTo(p::saturated);
        }
        // -Dbench.statements=true: the timed drain's statements by execution time (needs pg_stat_statements in the
        // server's shared_preload_libraries; its counters are server-wide, so nothing else may run meanwhile)
        boolean statements = report && Boolean.getBoolean("bench.statements");
        if (statements) {
            kit.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            kit.strings("SELECT pg_stat_statements_reset()::text");
        }
        peakHeap.set(0);
        // the server's WAL and checkpoints over the timed drain (server-wide: nothing else may run meanwhile); a
        // checkpoint in the window makes the first change of every page after it log the whole page
        ServerWal walBefore = report ? ServerWal.now(kit) : null;
        CpuAccount cpuBefore = CpuAccount.now();
        long start = System.nanoTime();
        p.start();
        long last = 0;
        // progress every 250 ms; the end time is the last job's sent_at, not the poll that noticed it
        while (true) {
            // the pipeline's own count while it runs (free); the database's once it says all are sent
            long sent = (long) registry.counter("raregen.sent").count();
            if (sent >= n) {
                sent = ofSentJobs(kit, ids, "count(*)");
            }
            if (sent >= n) {
                break;
            }
            if (report && sent / 5000 != last / 5000) {
                System.out.printf("  %d sent after %.1f s%n", sent, (System.nanoTime() - start) / 1e9);
            }
            last = sent;
            Thread.sleep(250);
        }
        CpuAccount cpuAfter = CpuAccount.now();
        long lastSentMicros = ofSentJobs(kit, ids, "(EXTRACT(EPOCH FROM clock_timestamp() - max(sent_at)) * 1e6)::bigint");
        double secs = (System.nanoTime() - start) / 1e9 - lastSentMicros / 1e6;
        long queued = sqs.depth(queue);
        long clearStart = System.nanoTime();
        while (sqs.depth(queue) > 0 && System.nanoTime() - clearStart < TimeUnit.MINUTES.toNanos(2)) {
            Thread.sleep(100);
        }
        double clearSecs = (System.nanoTime() - clearStart) / 1e9;
        p.close();
        if (report) {
            System.out.printf("receivers=%d, prepareThreads=%d, %d messages of up to %d job ids; still in the queue when the last job was sent: %d%n",
                    pp.getReceivers(), pp.getPrepareThreads(), bodies.size(), perMessage, queued);
            System.out.printf("those messages were received and acknowledged (their jobs already sent) in a further %.1f s%n", clearSecs);
            System.out.printf("mode=%s jobs=%d drained in %.2f s = %.0f tx/s; peak heap used %.0f MB (whole JVM: pipeline + in-process chain + ElasticMQ)%n",
                    mode, n, secs, n / secs, peakHeap.get() / 1e6);
            cpuAfter.printSince(cpuBefore, n);
            ServerWal walAfter = ServerWal.now(kit);
            walAfter.printSince(walBefore, n);
            // -Dbench.walByRelation=true: which relations the timed drain's full-page images were of (pg_walinspect)
            if (Boolean.getBoolean("bench.walByRelation")) {
                printFullPageImagesByRelation(kit, walBefore.lsn(), walAfter.lsn(), n);
            }
        }
        if (statements) {
            printStatements(kit, n);
        }
        // what the receivers left behind is acknowledged by the next pipeline (or the warm-up's by the timed one)
        return n / secs;
    }

    /** The server's WAL position, full-page images, WAL records and checkpoints so far (pg_stat_wal, pg_stat_bgwriter). */
    private record ServerWal(String lsn, long bytes, long images, long records, long checkpoints, long buffersWritten) {
        static ServerWal now(TestKit kit) {
            // the cumulative statistics lag by up to a second: let the last writes report
            try {
                Thread.sleep(1100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Connection c = kit.ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT pg_current_wal_lsn()::text, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, w.wal_fpi,
                           w.wal_records, b.checkpoints_timed + b.checkpoints_req, b.buffers_checkpoint
                    FROM pg_stat_wal w, pg_stat_bgwriter b""")) {
                rs.next();
                return new ServerWal(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            } catch (SQLException e) {
                throw new IllegalStateException("server WAL statistics", e);
            }
        }

        void printSince(ServerWal b, int n) {
            System.out.printf("server WAL over the timed drain: %.0f B per job, %.2f full-page images and %.1f records per job;"
                            + " checkpoints %d (%d buffers written)%n", (bytes - b.bytes) / (double) n,
                    (images - b.images) / (double) n, (records - b.records) / (double) n, checkpoints - b.checkpoints,
                    buffersWritten - b.buffersWritten);
        }
    }

    /** The full-page images of this database's WAL between two positions, by relation (StorageFootprint's attribution). */
    private static void printFullPageImagesByRelation(TestKit kit, String from, String to, int n) {
        kit.sql("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        try (Connection c = kit.ds.getConnection()) {
            long dbOid = kit.scalar("SELECT oid FROM pg_database WHERE datname = current_database()");
            Map<String, long[]> byRelation = StorageFootprint.attribute(c, dbOid, from, to).byRelation();
            System.out.println("full-page images of the timed drain by relation (per job: images, bytes):");
            byRelation.entrySet().stream().filter(e -> e.getValue()[3] > 0)
                    .sorted((x, y) -> Long.compare(y.getValue()[3], x.getValue()[3])).limit(10)
                    .forEach(e -> System.out.printf("  %-44s %7.3f %7.0f B%n", e.getKey(), e.getValue()[3] / (double) n,
                            e.getValue()[2] / (double) n));
        } catch (SQLException e) {
            throw new IllegalStateException("full-page images by relation", e);
        }
    }

    /**
     * The statements of the timed drain in this database, by execution time: µs per job (execution time, so waits for
     * locks, I/O and a CPU count in it, not only work), calls and rows per call. The benchmark's own reads are left out.
     */
    private static void printStatements(TestKit kit, int n) {
        // this database's statements, without the benchmark's own (the reset, its polls of the sent count and age)
        String drain = """
                FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'
                  AND s.query NOT LIKE 'SELECT count(*) FROM publish_jobs WHERE job_id = ANY%'
                  AND s.query NOT LIKE 'SELECT (EXTRACT(%'""";
        List<String> rows = kit.strings("""
                SELECT lpad(round(s.total_exec_time * 1000 / %d)::text, 6) || ' µs ' || lpad(s.calls::text, 7) || ' calls '
                       || lpad(round(s.rows::numeric / greatest(s.calls, 1), 1)::text, 8) || ' rows/call  '
                       || left(regexp_replace(s.query, '\\s+', ' ', 'g'), 110)
                %s
                ORDER BY s.total_exec_time DESC LIMIT 14""".formatted(n, drain));
        long total = kit.scalar("SELECT round(sum(s.total_exec_time) * 1000 / %d)::bigint %s".formatted(n, drain));
        System.out.printf("statements of the timed drain by execution time (pg_stat_statements), %d µs per job in all:%n", total);
        rows.forEach(r -> System.out.println("  " + r));
    }

    /** {@code aggregate} (a count, an age in µs) over the sent jobs among {@code ids}. */
    private static long ofSentJobs(TestKit kit, List<String> ids, String aggregate) throws SQLException {
        try (Connection c = kit.ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + aggregate + " FROM job_states WHERE job_id = ANY(?) AND status = 'sent'")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static PipelineSettings pipelineProperties(String mode) {
        PipelineSettings pp = new PipelineSettings();
        pp.setBacklogClaim(!"queue".equals(mode));
        pp.setReceivers(Integer.getInteger("bench.receivers", "queue".equals(mode) ? 8 : 2));
        pp.setReceiveWaitSeconds(1);
        pp.setShutdownGrace(Duration.ofSeconds(5));
        // -Dbench.prepareThreads=N: batches prepared side by side (PipelineSettings.prepareThreads)
        pp.setPrepareThreads(Integer.getInteger("bench.prepareThreads", pp.getPrepareThreads()));
        return pp;
    }

    private static RecoverySettings recoveryProperties(String mode) {
        RecoverySettings rp = new RecoverySettings();
        rp.setRebroadcastAfter(Duration.ofMinutes(5));
        rp.setReconcileAfter("sustained".equals(mode) ? Duration.ofMinutes(5) : Duration.ofSeconds(30));
        return rp;
    }

    /** Feeds {@code feed} jobs/s and measures the steady sent rate (limit 166.7 tx/s) and accept → sent. */
    private static void sustained(TestKit kit, LocalSqs sqs, String queue, PublishPipeline p, int seconds, int feed) throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long tick = System.nanoTime();
            List<String> ids = kit.insertJobs(feed);
            sqs.sendJobIds(queue, ids);
            long spent = (System.nanoTime() - tick) / 1_000_000;
            if (spent < 1000) {
                Thread.sleep(1000 - spent);
            }
        }
        // the steady state: past the initial 500-token burst (drained after ~15 s when fed 200/s)
        // and before the feed stops
        long from = Math.min(35, seconds / 3);
        long to = seconds - 5;
        String window = "sent_at BETWEEN (SELECT min(sent_at) FROM job_sends) + interval '" + from + " seconds' "
                + "AND (SELECT min(sent_at) FROM job_sends) + interval '" + to + " seconds'";
        long sentInWindow = kit.scalar("SELECT count(*) FROM job_sends WHERE " + window);
        double rate = sentInWindow / (double) (to - from);
        long p50 = kit.scalar("SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sent_at - created_at)) * 1000)::bigint FROM job_sends WHERE " + window);
        long p99 = kit.scalar("SELECT (percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sent_at - created_at)) * 1000)::bigint FROM job_sends WHERE " + window);
        System.out.printf("mode=sustained run=%d s, window %d..%d s: steady sent rate %.1f tx/s (limit 166.7), accept→sent p50 %d ms, p99 %d ms (fed %d/s)%n",
                seconds, from, to, rate, p50, p99, feed);
    }
}
