package io.raregen.broadcaster.utxo;

import com.zaxxer.hikari.HikariDataSource;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.migrations.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Diagnostic program: reserve latency as spent/changed rows accumulate (not a test). */
public final class ReserveProbe {
    public static void main(String[] args) throws Exception {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource ds = PoolTestData.pooled(db, 4)) {
            PostgresUtxoPool pool = new PostgresUtxoPool(ds, new PoolSettings());
            pool.add(PoolTestData.utxos(7_000, 100), Purpose.PUBLISH, 1);
            for (int b = 0; b < 16; b++) {
                List<ReservationRequest> reqs = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    reqs.add(new ReservationRequest(JobId.generate(), Satoshis.of(1)));
                }
                long t0 = System.nanoTime();
                List<Reservation> got = pool.reserve(reqs, "p", Duration.ofMinutes(5));
                long t1 = System.nanoTime();
                List<UtxoPool.Spend> spends = new ArrayList<>();
                for (Reservation r : got) {
                    Txid t = PoolTestData.randomTxid();
                    Utxo in = r.inputs().get(0);
                    spends.add(new UtxoPool.Spend(t, List.of(in.outpoint()),
                            List.of(new Utxo(new Outpoint(t, 1), Satoshis.of(in.satoshis().value() - 1), in.lockingScript())),
                            Purpose.PUBLISH));
                }
                pool.confirmSpentAll(spends);
                long t2 = System.nanoTime();
                System.out.printf("batch %d: reserve %.0f ms (%d), confirm 500 %.0f ms%n", b, (t1 - t0) / 1e6, got.size(), (t2 - t1) / 1e6);
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET plan_cache_mode = force_custom_plan");
                String sql = PostgresReservations.RESERVE_BATCH.replaceFirst("\\?::bigint\\[\\]", "array_fill(1::bigint, array[500])")
                        .replaceFirst("\\?", "1000").replaceFirst("\\?", "300000").replaceFirst("\\?", "'probe'");
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    while (rs.next()) {
                        System.out.println(rs.getString(1));
                    }
                }
            }
        }
    }
}
