package io.raregen.broadcaster.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.QueueMessages;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.types.JobId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Storage footprint of the broadcaster's write set, per published record (a program, not a test; issue #18 part 2).
 *
 * <p>On a fresh migrated database (the pool funded from the local chain as in {@link DrainBenchmark}), each round
 * enqueues {@code n} jobs ({@link TestKit#insertJobs}, a stand-in for the intake's insert) and drains them through the
 * real pipeline (backlog claim, one record per transaction, ARC to the in-process local chain), then prints per
 * record:
 * <ul>
 *   <li>WAL: {@code pg_wal_lsn_diff} of {@code pg_current_wal_lsn()} around the enqueue (the job rows and their
 *       nonces' guards, V57), the drain, and the deletion of the guards (as the retention deletes them once expired)
 *       with the VACUUM that cleans up after it all (whole server), and the same windows read back with {@code pg_walinspect} and
 *       attributed to this database's relations (block references) and its transactions' commit records, so that
 *       other databases on a shared server do not count. ({@code pg_stat_wal} is not used: backends report it lazily,
 *       up to 10 s late.)
 *       Full-page images are included in every figure; the FPI share is printed. Round 1 runs right after a
 *       {@code CHECKPOINT} (every page's first change after it is a full image: the worst case); later rounds have no
 *       checkpoint of their own (steady state: only pages not yet imaged since the last checkpoint are).</li>
 *   <li>On-disk growth of every table that grew, heap / heap + TOAST + FSM + VM / indexes / total, measured after a
 *       plain {@code VACUUM (ANALYZE)} before and after each phase; at the end, the whole-run sizes after
 *       {@code VACUUM FULL} as the compacted floor.</li>
 *   <li>Row writes from {@code pg_stat_user_tables} (n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del) per table, and
 *       index entries written, counted from the WAL (B-tree insert, posting-list insert and split records, each of
 *       which carries one new index tuple) per index.</li>
 *   <li>The extrapolation to one day at the seed's sustained rate of 166.7 records/s and to a year.</li>
 * </ul>
 * A temporary physical replication slot (dropped when the program's session ends) keeps the WAL of the run readable.
 * Superuser connection required (CHECKPOINT, pg_walinspect, the slot), as the benchmarks' TestDatabase has.
 *
 * <pre>java -Xmx256m [-Dbench.rounds=2] [-Dbench.warmup=0] -cp ... io.raregen.broadcaster.bench.StorageFootprint 10000</pre>
 */
public final class StorageFootprint {

    /** The seed's sustained rate: 500 transactions per 3 seconds. */
    private static final double RATE = 500.0 / 3.0;
    private static final double RECORDS_PER_DAY = RATE * 86_400;

    record Wal(String lsn, long checkpoints) { }

    record Size(long heap, long table, long indexes, long total) {
        Size minus(Size o) {
            return new Size(heap - o.heap, table - o.table, indexes - o.indexes, total - o.total);
        }
    }

    record Tup(long ins, long upd, long hot, long del) {
        Tup minus(Tup o) {
            return new Tup(ins - o.ins, upd - o.upd, hot - o.hot, del - o.del);
        }

        long writes() {
            return ins + upd + del;
        }
    }

    /**
     * WAL of one window attributed by pg_walinspect: per relation (or commit records) {records, bytes, full-page image
     * bytes, records with a full-page image}, per record type.
     */
    record Attributed(long span, long allRecords, long allBytes, long oursRecords, long oursBytes, long oursFpi,
                      Map<String, long[]> byRelation, Map<String, long[]> byType, Map<String, Long> indexEntries,
                      Map<String, long[]> heapByTable) { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = Integer.getInteger("bench.rounds", 2);
        int warmup = Integer.getInteger("bench.warmup", 0);
        try (TestKit kit = new TestKit().withChain(b -> b.skipScriptValidation(true).httpThreads(8));
             LocalSqs sqs = new LocalSqs();
             Connection admin = DriverManager.getConnection(kit.db.jdbcUrl())) {
            long dbOid;
            try (Statement st = admin.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
                // temporary: dropped when this session ends, however the program ends
                st.execute("SELECT pg_create_physical_replication_slot('raregen_storage_"
                        + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "', true, true)");
                dbOid = scalar(admin, "SELECT oid FROM pg_database WHERE datname = current_database()");
                System.out.printf("server: %s; full_page_writes=%s, wal_compression=%s, autovacuum=%s, checkpoint_timeout=%s%n",
                        string(admin, "SELECT version()"), string(admin, "SHOW full_page_writes"),
                        string(admin, "SHOW wal_compression"), string(admin, "SHOW autovacuum"),
                        string(admin, "SHOW checkpoint_timeout"));
            }
            long t0 = System.nanoTime();
            int need = warmup + n * rounds + 100;
            for (int funded = 0; funded < need; ) {
                int k = Math.min(5_000, need - funded);
                kit.fundPool(k, 1000);
                funded += k;
            }
            String queue = sqs.createQueue();
            System.out.printf("setup: %d pool UTXOs in %.1f s%n", need, (System.nanoTime() - t0) / 1e9);
            if (warmup > 0) {
                System.out.printf("warm-up: %d jobs (not measured)%n", warmup);
                drain(kit, sqs, queue, kit.insertJobs(warmup));
            }
            exec(admin, "DELETE FROM publish_nonces");
            vacuum(admin);
            Map<String, Size> z0 = sizes(admin);
            Map<String, Tup> s0 = settledStats(admin);
            List<double[]> summary = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                boolean checkpoint = r == 1;
                System.out.printf("%n=== round %d: %d records, %s ===%n", r, n,
                        checkpoint ? "CHECKPOINT right before the drain" : "no checkpoint of its own (steady state)");
                Wal w0 = wal(admin);
                List<String> ids = kit.insertJobs(n);
                Wal w1 = wal(admin);
                List<String> bodies = new ArrayList<>();
                for (String id : ids) {
                    bodies.add(QueueMessages.body(new JobId(id)));
                }
                sqs.sendBodies(queue, bodies);
                vacuum(admin);
                if (checkpoint) {
                    exec(admin, "CHECKPOINT");
                }
                Map<String, Size> z1 = sizes(admin);
                Map<String, Tup> s1 = settledStats(admin);
                Wal w2 = wal(admin);
                double secs = drain(kit, sqs, queue, ids);
                Wal w3 = wal(admin);
                // the nonces' guards expire minutes after the enqueue and the retention deletes them (V57): their
                // whole life is in the record's cost
                exec(admin, "DELETE FROM publish_nonces");
                vacuum(admin);
                Wal w4 = wal(admin);
                Map<String, Size> z2 = sizes(admin);
                Map<String, Tup> s2 = settledStats(admin);
                System.out.printf("drained %d jobs in %.1f s (%.0f tx/s); sent: %d, failed: %d%n", n, secs, n / secs,
                        kit.scalar("SELECT count(*) FROM job_states WHERE status = 'sent'"),
                        kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed'"));

                Attributed enqueue = attribute(admin, dbOid, w0.lsn, w1.lsn);
                Attributed drain = attribute(admin, dbOid, w2.lsn, w3.lsn);
                Attributed vac = attribute(admin, dbOid, w3.lsn, w4.lsn);
                System.out.println();
                System.out.println("WAL per record, FPIs included          | LSN diff (whole server) | records of all databases | this database | of which FPI | checkpoints in window");
                printWal("enqueue (insert of the job rows)", w0, w1, enqueue, n);
                printWal("drain (claim → sign → store → sent)", w2, w3, drain, n);
                printWal("nonce guards deleted, VACUUM", w3, w4, vac, n);
                long life = enqueue.oursBytes + drain.oursBytes + vac.oursBytes;
                long lifeFpi = enqueue.oursFpi + drain.oursFpi + vac.oursFpi;
                System.out.printf("total per record (this database): %.0f B, of which FPI %.0f B (%.0f%%), without FPIs %.0f B%n",
                        (double) life / n, (double) lifeFpi / n, 100.0 * lifeFpi / Math.max(1, life), (double) (life - lifeFpi) / n);

                System.out.println();
                System.out.println("drain WAL by relation          |  B/record | FPI B/record | WAL records/record | index entries/record");
                for (Map.Entry<String, long[]> e : drain.byRelation.entrySet()) {
                    Long entries = drain.indexEntries.get(e.getKey());
                    System.out.printf("  %-44s %9.0f %12.0f %10.2f %s%n", e.getKey(), (double) e.getValue()[1] / n,
                            (double) e.getValue()[2] / n, (double) e.getValue()[0] / n,
                            entries == null ? "" : String.format("%10.2f", (double) entries / n));
                }
                long enqEntries = enqueue.indexEntries.values().stream().mapToLong(Long::longValue).sum();
                long drainEntries = drain.indexEntries.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("index entries per record: enqueue %.2f + drain %.2f = %.2f%n",
                        (double) enqEntries / n, (double) drainEntries / n, (double) (enqEntries + drainEntries) / n);
                System.out.println("drain WAL by record type (this database)   | records/record | B/record");
                for (Map.Entry<String, long[]> e : drain.byType.entrySet()) {
                    if (e.getValue()[1] >= n) {
                        System.out.printf("  %-40s %10.2f %10.0f%n", e.getKey(), (double) e.getValue()[0] / n, (double) e.getValue()[1] / n);
                    }
                }

                System.out.println("drain heap records by table and type (this database) | records/record | B/record");
                for (Map.Entry<String, long[]> e : drain.heapByTable.entrySet()) {
                    if (e.getValue()[0] * 20 >= n) {
                        System.out.printf("  %-56s %10.2f %10.0f%n", e.getKey(), (double) e.getValue()[0] / n, (double) e.getValue()[1] / n);
                    }
                }

                System.out.println();
                System.out.println("on-disk growth per record, after plain VACUUM (ANALYZE) | heap | +TOAST/FSM/VM | indexes | total   (enqueue + drain)");
                long grown = 0;
                for (String t : new TreeSet<>(z2.keySet())) {
                    Size d = z2.get(t).minus(z0.getOrDefault(t, new Size(0, 0, 0, 0)));
                    Size dd = z2.get(t).minus(z1.getOrDefault(t, new Size(0, 0, 0, 0)));
                    if (d.total != 0 || dd.total != 0) {
                        grown += d.total;
                        System.out.printf("  %-28s %8.1f %8.1f %8.1f %8.1f B   (drain alone: %.1f B)%n", t, (double) d.heap / n,
                                (double) (d.table - d.heap) / n, (double) d.indexes / n, (double) d.total / n, (double) dd.total / n);
                    }
                }
                System.out.printf("  %-28s %35.1f B per record%n", "all tables", (double) grown / n);

                System.out.println();
                System.out.println("row writes per record (pg_stat_user_tables) | ins | upd | of which HOT | del | writes   (enqueue + drain; drain alone)");
                Tup sum = new Tup(0, 0, 0, 0);
                for (String t : new TreeSet<>(s2.keySet())) {
                    Tup d = s2.get(t).minus(s0.getOrDefault(t, new Tup(0, 0, 0, 0)));
                    Tup dd = s2.get(t).minus(s1.getOrDefault(t, new Tup(0, 0, 0, 0)));
                    if (d.writes() != 0) {
                        sum = new Tup(sum.ins + d.ins, sum.upd + d.upd, sum.hot + d.hot, sum.del + d.del);
                        System.out.printf("  %-28s %6.2f %6.2f %6.2f %6.2f %6.2f   (%.2f)%n", t, (double) d.ins / n, (double) d.upd / n,
                                (double) d.hot / n, (double) d.del / n, (double) d.writes() / n, (double) dd.writes() / n);
                    }
                }
                System.out.printf("  %-28s %6.2f %6.2f %6.2f %6.2f %6.2f%n", "all tables", (double) sum.ins / n, (double) sum.upd / n,
                        (double) sum.hot / n, (double) sum.del / n, (double) sum.writes() / n);

                double walPerRecord = (double) life / n;
                double diskPerRecord = (double) grown / n;
                System.out.println();
                System.out.printf("at %.1f records/s (%,.0f records/day): WAL %.1f GB/day (%.1f TB/year); table+index growth %.1f GB/day (%.2f TB/year)%n",
                        RATE, RECORDS_PER_DAY, walPerRecord * RECORDS_PER_DAY / 1e9, walPerRecord * RECORDS_PER_DAY * 365 / 1e12,
                        diskPerRecord * RECORDS_PER_DAY / 1e9, diskPerRecord * RECORDS_PER_DAY * 365 / 1e12);
                summary.add(new double[] {r, walPerRecord, (double) lifeFpi / n, (double) drain.oursBytes / n, diskPerRecord,
                        (double) sum.writes() / n, (double) (enqEntries + drainEntries) / n});
                z0 = z2;
                s0 = s2;
            }

            // compacted floor: every record of the run, after VACUUM FULL
            Map<String, Size> before = sizes(admin);
            exec(admin, "VACUUM FULL");
            Map<String, Size> full = sizes(admin);
            long records = kit.scalar("SELECT count(*) FROM publish_jobs");
            System.out.printf("%nafter VACUUM FULL, whole database / %d records (warm-up included) | total before | total after (B/record)%n", records);
            long allBefore = 0;
            long allAfter = 0;
            for (String t : new TreeSet<>(full.keySet())) {
                Size a = full.get(t);
                Size b = before.get(t);
                allBefore += b.total;
                allAfter += a.total;
                if (a.total > 16_384) {
                    System.out.printf("  %-28s %8.1f %8.1f%n", t, (double) b.total / records, (double) a.total / records);
                }
            }
            System.out.printf("  %-28s %8.1f %8.1f (includes the funding UTXOs' rows)%n", "all tables", (double) allBefore / records,
                    (double) allAfter / records);

            // what the audit trail of every record of the run takes in the archive (#18 part 2), exported as the
            // retention loop exports a finished day: every registered partition not archived, gzip JSON Lines
            io.raregen.broadcaster.retention.HistoryPartitions history = new io.raregen.broadcaster.retention.HistoryPartitions(kit.ds);
            long archived = 0;
            long archivedRows = 0;
            for (io.raregen.broadcaster.retention.HistoryPartitions.Partition part : history.finished(
                    io.raregen.broadcaster.retention.HistoryTable.TRANSITION_SETS, java.time.Instant.now().plus(java.time.Duration.ofDays(3650)))) {
                java.nio.file.Path file = java.nio.file.Files.createTempFile("storage-archive-", ".jsonl.gz");
                try {
                    archivedRows += history.export(io.raregen.broadcaster.retention.HistoryTable.TRANSITION_SETS, part,
                            part.from() == null ? java.time.Instant.EPOCH : part.from(), part.to(), file).rows();
                    archived += java.nio.file.Files.size(file);
                } finally {
                    java.nio.file.Files.deleteIfExists(file);
                }
            }
            System.out.printf("%narchive: the audit trail of %d records (warm-up included), %d sets, as gzip JSON Lines: %d B, %.1f B/record%n",
                    records, archivedRows, archived, (double) archived / records);

            System.out.println();
            System.out.println("summary | round | WAL B/record (enqueue+drain+vacuum) | of which FPI | drain alone | disk B/record | row writes/record | index entries/record | WAL GB/day | disk GB/day");
            for (double[] s : summary) {
                System.out.printf("summary | %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f | %.1f%n", (int) s[0], s[1], s[2], s[3], s[4],
                        s[5], s[6], s[1] * RECORDS_PER_DAY / 1e9, s[4] * RECORDS_PER_DAY / 1e9);
            }
        }
        System.exit(0);
    }

    private static void printWal(String label, Wal a, Wal b, Attributed at, int n) {
        System.out.printf("  %-36s %12.0f B %20.0f B %15.0f B %12.0f B %8d%n", label, (double) at.span / n,
                (double) at.allBytes / n, (double) at.oursBytes / n, (double) at.oursFpi / n, b.checkpoints - a.checkpoints);
    }

    /** Pre-queued jobs (rows + one message each) drained by a fresh pipeline in backlog mode; returns seconds. */
    private static double drain(TestKit kit, LocalSqs sqs, String queue, List<String> ids) throws Exception {
        if (sqs.depth(queue) == 0) {
            List<String> bodies = new ArrayList<>();
            for (String id : ids) {
                bodies.add(QueueMessages.body(new JobId(id)));
            }
            sqs.sendBodies(queue, bodies);
        }
        PipelineSettings pp = new PipelineSettings();
        pp.setBacklogClaim(true);
        pp.setReceivers(2);
        pp.setReceiveWaitSeconds(1);
        pp.setShutdownGrace(Duration.ofSeconds(5));
        RecoverySettings rp = new RecoverySettings();
        rp.setRebroadcastAfter(Duration.ofMinutes(5));
        rp.setReconcileAfter(Duration.ofSeconds(30));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PublishPipeline p = kit.pipeline(pp, rp, RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "bench", registry);
        long start = System.nanoTime();
        p.start();
        while (registry.counter("raregen.sent").count() < ids.size() || sentAmong(kit, ids) < ids.size()) {
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException("drain did not finish in 10 minutes");
            }
            Thread.sleep(100);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        // the messages of jobs already sent are received and acknowledged too: part of the drain's work
        long clearStart = System.nanoTime();
        while (sqs.depth(queue) > 0 && System.nanoTime() - clearStart < TimeUnit.MINUTES.toNanos(2)) {
            Thread.sleep(100);
        }
        p.close();
        return secs;
    }

    private static long sentAmong(TestKit kit, List<String> ids) throws SQLException {
        try (Connection c = kit.ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM job_states WHERE job_id = ANY(?) AND status = 'sent'")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Wal wal(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pg_current_wal_lsn()::text, b.checkpoints_timed + b.checkpoints_req FROM pg_stat_bgwriter b")) {
            rs.next();
            return new Wal(rs.getString(1), rs.getLong(2));
        }
    }

    /**
     * Reads the WAL between two LSNs back with pg_walinspect. A record belongs to this database when one of its block
     * references names it (the first reference names the relation), or when it has no block reference and its
     * transaction wrote such a record (commit records). Index entries: B-tree records that each add one index tuple.
     */
    static Attributed attribute(Connection c, long dbOid, String from, String to) throws SQLException {
        String sql = """
                WITH r AS (
                  SELECT xid::text::bigint AS x, resource_manager AS rm, record_type AS rt, record_length AS len,
                         fpi_length AS fpi, regexp_match(block_ref, 'rel (\\d+)/(\\d+)/(\\d+)') AS m
                  FROM pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)),
                ours AS (SELECT DISTINCT x FROM r WHERE m[2]::oid = ? AND x <> 0),
                k AS (
                  SELECT CASE WHEN m[2]::oid = ? THEN coalesce(pg_filenode_relation(0, m[3]::oid)::regclass::text, 'filenode ' || m[3])
                              WHEN m IS NULL AND x IN (SELECT x FROM ours) THEN '(commit records)'
                         END AS rel, rm, rt, len, fpi FROM r)
                SELECT rel, rm, rt, count(*), sum(len)::bigint, sum(fpi)::bigint, count(*) FILTER (WHERE fpi > 0)
                FROM k GROUP BY 1, 2, 3""";
        Map<String, long[]> byRelation = new LinkedHashMap<>();
        Map<String, long[]> byType = new TreeMap<>();
        Map<String, Long> indexEntries = new TreeMap<>();
        Map<String, long[]> heapByTable = new TreeMap<>();
        long allRecords = 0;
        long allBytes = 0;
        long oursRecords = 0;
        long oursBytes = 0;
        long oursFpi = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, from);
            ps.setString(2, to);
            ps.setLong(3, dbOid);
            ps.setLong(4, dbOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String rel = rs.getString(1);
                    String type = rs.getString(2) + "/" + rs.getString(3);
                    long count = rs.getLong(4);
                    long len = rs.getLong(5);
                    long fpi = rs.getLong(6);
                    allRecords += count;
                    allBytes += len;
                    if (rel == null) {
                        continue;
                    }
                    oursRecords += count;
                    oursBytes += len;
                    oursFpi += fpi;
                    long[] a = byRelation.computeIfAbsent(rel, k -> new long[4]);
                    a[0] += count;
                    a[1] += len;
                    a[2] += fpi;
                    a[3] += rs.getLong(7);
                    long[] t = byType.computeIfAbsent(type, k -> new long[2]);
                    t[0] += count;
                    t[1] += len;
                    if (type.startsWith("Heap")) {
                        long[] h = heapByTable.computeIfAbsent(rel + " " + type, k -> new long[2]);
                        h[0] += count;
                        h[1] += len;
                    }
                    if (type.equals("Btree/INSERT_LEAF") || type.equals("Btree/INSERT_POST") || type.startsWith("Btree/SPLIT_")) {
                        indexEntries.merge(rel, count, Long::sum);
                    }
                }
            }
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byRelation.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        Map<String, long[]> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        long span;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
            ps.setString(1, to);
            ps.setString(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                span = rs.getLong(1);
            }
        }
        return new Attributed(span, allRecords, allBytes, oursRecords, oursBytes, oursFpi, ordered, byType, indexEntries, heapByTable);
    }

    private static Map<String, Size> sizes(Connection c) throws SQLException {
        Map<String, Size> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT c.relname, pg_relation_size(c.oid), pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
                FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p')""")) {
            while (rs.next()) {
                out.put(rs.getString(1), new Size(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return out;
    }

    /**
     * pg_stat_user_tables once every backend has reported: an idle backend flushes its pending counts within
     * 10 seconds (PGSTAT_IDLE_INTERVAL), so this waits 11 s and then until two reads a second apart agree.
     */
    private static Map<String, Tup> settledStats(Connection c) throws SQLException, InterruptedException {
        Thread.sleep(11_000);
        Map<String, Tup> prev = stats(c);
        while (true) {
            Thread.sleep(1_000);
            Map<String, Tup> now = stats(c);
            if (now.equals(prev)) {
                return now;
            }
            prev = now;
        }
    }

    private static Map<String, Tup> stats(Connection c) throws SQLException {
        Map<String, Tup> out = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery(
                    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Tup(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    private static void vacuum(Connection c) throws SQLException {
        exec(c, "VACUUM (ANALYZE)");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
