package io.raregen.broadcaster.utxo;

import com.fasterxml.jackson.databind.node.TextNode;
import com.zaxxer.hikari.HikariDataSource;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordScript;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.migrations.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pool benchmark (a program, not a test). Prints:
 * 1. reservation throughput of {@link PostgresUtxoPool#reserve} (one statement per batch) against the original
 *    worker's per-UTXO reservation (docs/ARCHITECTURE.md#the-original-system, run verbatim: its expired-lease
 *    UPDATE then its single-row UPDATE ... FOR UPDATE SKIP LOCKED), same Postgres, same pool;
 * 2. satoshis spent per published 300-byte record at 1 sat/kB with change recycling;
 * 3. pool capital to sustain 166.7 tx/s for one hour.
 *
 * <p>Run: {@code mvn -o -q -pl broadcaster test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.raregen.broadcaster.utxo.PoolBenchmark [-Dexec.args="20000 10000"]}
 */
public final class PoolBenchmark {

    /** The original worker's reserveUTXO(), quoted verbatim: first statement. */
    static final String SEED_RELEASE_EXPIRED = """
              UPDATE utxos
              SET status = 'available', reserved_at = NULL, reserved_until = NULL
              WHERE status = 'reserved' AND reserved_until < NOW()
            """;

    /** The original worker's, quoted verbatim: second statement (one UTXO per call). */
    static final String SEED_RESERVE = """
              UPDATE utxos
              SET status = 'reserved',\s
                  reserved_at = NOW(),\s
                  reserved_until = NOW() + INTERVAL '5 minutes'
              WHERE id = (
                SELECT id FROM utxos
                WHERE purpose = 'publish'\s
                AND status = 'available'
                AND (dirty = FALSE OR dirty IS NULL)
                ORDER BY satoshis ASC, created_at ASC
                LIMIT 1
                FOR UPDATE SKIP LOCKED
              )
              RETURNING id, txid, vout, satoshis, script_pub_key
            """;

    public static void main(String[] args) throws Exception {
        int poolSize = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int reservations = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int batch = 500;
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; pool %,d UTXOs x 100 sat, %,d reservations per run%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), poolSize, reservations);
        try (TestDatabase db = TestDatabase.create(); HikariDataSource ds = PoolTestData.pooled(db, 8)) {
            PostgresUtxoPool pool = new PostgresUtxoPool(ds, new PoolSettings());
            pool.add(PoolTestData.utxos(poolSize, 100), Purpose.PUBLISH, 0);
            analyze(ds);

            int seedN = Math.max(500, reservations / 5);
            double[][] seedRates = new double[2][2];
            int[] threadCounts = {1, 4};
            for (int k = 0; k < 2; k++) {
                int threads = threadCounts[k];
                seed(ds, 200, threads); // warm-up
                reset(ds);
                seedRates[0][k] = seed(ds, seedN, threads);
                reset(ds);
            }
            // the same seed statements, helped by an index they can use (the seed had none for selection)
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE INDEX bench_seed_selection ON utxos (satoshis, created_at) "
                        + "WHERE purpose = 'publish' AND status = 'available'");
            }
            analyze(ds);
            for (int k = 0; k < 2; k++) {
                int threads = threadCounts[k];
                seed(ds, 200, threads);
                reset(ds);
                seedRates[1][k] = seed(ds, reservations, threads);
                reset(ds);
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP INDEX bench_seed_selection");
            }
            analyze(ds);
            for (int k = 0; k < 2; k++) {
                int threads = threadCounts[k];
                ours(pool, 1_000, batch, threads); // warm-up
                reset(ds);
                double oursRate = ours(pool, reservations, batch, threads);
                reset(ds);
                System.out.printf(Locale.ROOT, "reservation, %d thread(s): seed verbatim (2 statements per UTXO, %,d runs) "
                                + "%,.0f/s; seed with a usable index %,.0f/s; ours (batches of %d, one statement each) "
                                + "%,.0f/s; ratio %.1fx vs seed verbatim, %.1fx vs seed with index%n",
                        threads, seedN, seedRates[0][k], seedRates[1][k], batch, oursRate, oursRate / seedRates[0][k],
                        oursRate / seedRates[1][k]);
            }
        }
        feesPerRecord();
        capital();
    }

    private static void analyze(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE utxos");
        }
    }

    private static void reset(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE utxos SET status = 'available', reserved_at = NULL, reserved_until = NULL, "
                    + "reserved_by = NULL WHERE status = 'reserved'");
            s.execute("VACUUM ANALYZE utxos");
        }
    }

    /** The seed's reserveUTXO(): both statements, autocommit, once per reservation. */
    private static double seed(HikariDataSource ds, int n, int threads) throws Exception {
        return timed(threads, n, () -> {
            try (Connection c = ds.getConnection();
                 PreparedStatement release = c.prepareStatement(SEED_RELEASE_EXPIRED);
                 PreparedStatement reserve = c.prepareStatement(SEED_RESERVE)) {
                release.executeUpdate();
                try (ResultSet rs = reserve.executeQuery()) {
                    return rs.next() ? 1 : 0;
                }
            }
        });
    }

    private static double ours(PostgresUtxoPool pool, int n, int batch, int threads) throws Exception {
        return timed(threads, n / batch, () -> {
            List<ReservationRequest> reqs = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                reqs.add(new ReservationRequest(JobId.generate(), Satoshis.of(1 + (i % 3))));
            }
            return pool.reserve(reqs, "bench", Duration.ofMinutes(5)).size();
        });
    }

    interface Call {
        int run() throws Exception;
    }

    /** Runs {@code calls} calls split over {@code threads}; returns UTXOs reserved per second. */
    private static double timed(int threads, int calls, Call call) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = calls / threads + (t < calls % threads ? 1 : 0);
            fs.add(ex.submit(() -> {
                int got = 0;
                for (int i = 0; i < share; i++) {
                    got += call.run();
                }
                return got;
            }));
        }
        long total = 0;
        for (Future<Integer> f : fs) {
            total += f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ex.shutdown();
        return total / secs;
    }

    /** A 300-byte record at 1 sat/kB: fee of one publish transaction, and 100 records from one recycled 100-sat UTXO. */
    private static void feesPerRecord() {
        FeeRate rate = FeeRate.perKb(1);
        KeyPair client = KeyPair.generate();
        KeyPair poolKey = PoolTestData.POOL_KEY;
        String payload = null;
        for (int pad = 0; pad < 400; pad++) {
            String p = Payloads.publish(TextNode.valueOf("r".repeat(pad)), "n-1", Instant.parse("2026-01-01T00:00:00Z"), null);
            if (p.length() >= 300) {
                payload = p;
                break;
            }
        }
        Envelope env = EnvelopeSigner.sign(payload, client);
        Utxo utxo = new Utxo(new Outpoint(PoolTestData.randomTxid(), 0), Satoshis.of(100), poolKey.p2pkhLockingScript());
        int records = 0;
        long spent = 0;
        int size = 0;
        while (true) {
            SignedTransaction tx = PublishTransactions.build(List.of(utxo), poolKey, env, poolKey.p2pkhLockingScript(), rate);
            records++;
            spent += tx.fee().value();
            size = tx.size();
            if (tx.outputs().size() < 2) {
                break;
            }
            TxOutput change = tx.outputs().get(1);
            utxo = new Utxo(new Outpoint(tx.txid(), 1), change.value(), change.script());
        }
        System.out.printf(Locale.ROOT, "fees: signed payload %d B, record script %d B, publish tx %d B at 1 sat/kB: "
                        + "fee %d sat; one 100-sat UTXO recycled through its change published %d records, "
                        + "spending %d sat = %.2f sat per record (seed: 100 sat per record)%n",
                payload.length(), RecordScript.encodedLength(env), size, rate.feeFor(size).value(), records, spent,
                spent / (double) records);
        // what a split costs per publish UTXO
        TransactionBuilder b = new TransactionBuilder().addInput(new Utxo(new Outpoint(PoolTestData.randomTxid(), 0),
                Satoshis.of(1_000_000), PoolTestData.FUNDING_KEY.p2pkhLockingScript()));
        for (int i = 0; i < 5_000; i++) {
            b.addOutput(new TxOutput(Satoshis.of(100), poolKey.p2pkhLockingScript()));
        }
        SignedTransaction split = b.changeTo(PoolTestData.FUNDING_KEY.p2pkhLockingScript())
                .sign(PoolTestData.FUNDING_KEY, rate);
        System.out.printf(Locale.ROOT, "split: 5,000 outputs in %,d B, fee %d sat = %.4f sat per publish UTXO "
                + "(%.6f sat per record when each serves %d records)%n", split.size(), split.fee().value(),
                split.fee().value() / 5_000.0, split.fee().value() / 5_000.0 / records, records);
    }

    /** Capital for 166.7 tx/s for an hour, from the measured fee per record. */
    private static void capital() {
        double rate = 500 / 3.0;
        long perHour = Math.round(rate * 3600);
        long feePerRecord = 1;
        long fees = perHour * feePerRecord;
        // UTXOs held at once: reserved from batch close until the change is back (window 5 s + sign + ARC
        // round trip; 10 s is generous), doubled as margin
        long inFlight = Math.round(rate * 10 * 2);
        long minimalFloat = inFlight * 100;
        long seedFloat = 50_000L * 100;
        System.out.printf(Locale.ROOT, "capital for %.1f tx/s for 1 h (%,d records): fees %,d sat; float %,d UTXOs "
                        + "(%,d sat) minimum, %,d sat with seed min-pool-size 50,000; total %,d .. %,d sat "
                        + "(%.4f .. %.4f BSV); seed design: 1,000,000 x 100 sat per 100 min = %,d sat per hour "
                        + "consumed%n", rate, perHour, fees, inFlight, minimalFloat, seedFloat, fees + minimalFloat,
                fees + seedFloat, (fees + minimalFloat) / 1e8, (fees + seedFloat) / 1e8, 60_000_000L);
    }

    private PoolBenchmark() {
    }
}
