package io.raregen.broadcaster.utxo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolMetricsTest {

    @Test
    void refresh_publishesDepthByStatusAndTheLowDepthAlert() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoolMetrics metrics = new PoolMetrics(pool, registry, 3);
        pool.add(PoolTestData.utxos(4, 100), Purpose.PUBLISH, 0);
        pool.reserve(List.of(new UtxoPool.ReservationRequest(JobId.generate(), io.raregen.core.types.Satoshis.of(1))), "w",
                Duration.ofMinutes(1));

        metrics.refresh();

        assertEquals(3.0, registry.get("raregen.utxo.pool.depth").tag("status", "available").gauge().value());
        assertEquals(1.0, registry.get("raregen.utxo.pool.depth").tag("status", "reserved").gauge().value());
        assertEquals(0.0, registry.get("raregen.utxo.pool.low").gauge().value(), "3 usable, threshold 3: not low");
        assertFalse(metrics.isLow());

        pool.reserve(List.of(new UtxoPool.ReservationRequest(JobId.generate(), io.raregen.core.types.Satoshis.of(1))), "w",
                Duration.ofMinutes(1));
        metrics.refresh();

        assertEquals(1.0, registry.get("raregen.utxo.pool.low").gauge().value());
        assertTrue(metrics.isLow());
        metrics.refreshAll();
        assertEquals(0.0, registry.get("raregen.utxo.pool.conservation.gap.sats").gauge().value(),
                "every satoshi accounted for: funded = unspent");
    }

    @Test
    void refresh_readsOnlyTheLiveFigures_refreshAllAlsoTheHistoryAndTheGap() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoolMetrics metrics = new PoolMetrics(pool, registry, 1);
        List<io.raregen.core.tx.Utxo> added = PoolTestData.utxos(2, 100);
        pool.add(added, Purpose.PUBLISH, 0);
        pool.retire(added.get(0).outpoint(), null, "swept in a test");

        metrics.refresh();
        assertEquals(1.0, registry.get("raregen.utxo.pool.depth").tag("status", "available").gauge().value());
        assertEquals(0.0, registry.get("raregen.utxo.pool.depth").tag("status", "retired").gauge().value(),
                "history is not read by the frequent refresh");

        PoolSnapshot all = metrics.refreshAll();
        assertEquals(1.0, registry.get("raregen.utxo.pool.depth").tag("status", "retired").gauge().value());
        assertEquals(all.conservationGapSats(), (long) registry.get("raregen.utxo.pool.conservation.gap.sats").gauge().value());
    }
}
