package io.raregen.broadcaster.utxo;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.raregen.broadcaster.replenish.ReplenisherSettings;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the framework-free pool helpers from typed settings. */
@Factory
public class PoolBeans {

    @Singleton
    DirtyUtxoChecker dirtyUtxoChecker(UtxoPool pool, TransactionBroadcaster network, PoolSettings settings) {
        return new DirtyUtxoChecker(pool, network, Clock.systemUTC(), settings.getDirtyRecheckMinAge(),
                settings.getDirtyAbandonAfter());
    }

    @Singleton
    PoolMetrics poolMetrics(UtxoPool pool, MeterRegistry registry, ReplenisherSettings replenisher) {
        return new PoolMetrics(pool, registry, replenisher.getAlertThreshold());
    }
}
