package io.raregen.broadcaster.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.keys.ServiceKeys;
import io.raregen.broadcaster.replenish.ReplenisherSettings;
import io.raregen.broadcaster.utxo.DirtyUtxoChecker;
import io.raregen.broadcaster.utxo.PoolDepthHistory;
import io.raregen.broadcaster.utxo.PoolMetrics;
import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.core.keys.Network;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.time.Clock;

/** Wires the framework-free pool helpers (package utxo) from typed settings. */
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

    @Singleton
    PoolDepthHistory poolDepthHistory(DataSource wrapped, DataSourceResolver resolver, PoolSettings settings, ReplenisherSettings replenisher,
                                      ServiceKeys keys, PipelineSettings pipeline,
                                      @Value("${raregen.network:regtest}") String network) {
        String instance = pipeline.getInstanceId() == null || pipeline.getInstanceId().isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() : pipeline.getInstanceId();
        // plain JDBC with its own connection: the real pool, not Micronaut's transaction-aware proxy
        return new PoolDepthHistory(resolver.resolve(wrapped), instance, replenisher.getAlertThreshold(),
                keys.fundingKey().address(Network.parse(network)), settings.getHistoryRetention());
    }
}
