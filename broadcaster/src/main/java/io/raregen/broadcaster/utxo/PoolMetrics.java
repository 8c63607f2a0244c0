package io.raregen.broadcaster.utxo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pool gauges for Prometheus: {@code raregen_utxo_pool_depth} by status, usable publish depth, funding sats,
 * the conservation gap, and the low-depth alert condition ({@code raregen_utxo_pool_low} is 1 while usable
 * publish depth is below the alert threshold; {@code raregen_utxo_pool_alert_threshold} is that threshold).
 *
 * <p>Two refresh rates: {@link #refresh()} reads only the live figures ({@link UtxoPool#depth()}, cheap at
 * any history length) and runs often; {@link #refreshAll()} also reads the history-wide audit
 * ({@link UtxoPool#snapshot()}: spent and retired counts, the conservation gap), whose cost grows with every
 * publish, and runs rarely or on an operator's request.
 */
public final class PoolMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMetrics.class);

    private final UtxoPool pool;
    private final long alertThreshold;
    private final Map<String, AtomicLong> depthByStatus = new ConcurrentHashMap<>();
    private final AtomicLong publishAvailable = new AtomicLong();
    private final AtomicLong fundingSats = new AtomicLong();
    private final AtomicLong gap = new AtomicLong();
    private final AtomicLong low = new AtomicLong();

    public PoolMetrics(UtxoPool pool, MeterRegistry registry, long alertThreshold) {
        this.pool = pool;
        this.alertThreshold = alertThreshold;
        for (String status : List.of("pending", "available", "reserved", "spent", "retired")) {
            AtomicLong v = new AtomicLong();
            depthByStatus.put(status, v);
            Gauge.builder("raregen.utxo.pool.depth", v, AtomicLong::get).tag("status", status)
                    .description("UTXOs in the pool by status").register(registry);
        }
        Gauge.builder("raregen.utxo.pool.publish.available", publishAvailable, AtomicLong::get)
                .description("publish UTXOs that can be reserved now").register(registry);
        Gauge.builder("raregen.utxo.pool.funding.sats", fundingSats, AtomicLong::get)
                .description("satoshis in available funding UTXOs").register(registry);
        Gauge.builder("raregen.utxo.pool.conservation.gap.sats", gap, AtomicLong::get)
                .description("funded - (unspent + fees + retired); 0 when every satoshi is accounted for")
                .register(registry);
        Gauge.builder("raregen.utxo.pool.low", low, AtomicLong::get)
                .description("1 while usable publish depth is below the alert threshold").register(registry);
        // exported so dashboards draw the line and alert rules compare against the configured value
        Gauge.builder("raregen.utxo.pool.alert.threshold", () -> alertThreshold)
                .description("usable publish depth below which the pool-depth-low alert holds").register(registry);
    }

    /** Reads the live figures and updates the depth, funding and low-depth gauges; returns them. */
    public PoolDepth refresh() {
        PoolDepth d = pool.depth();
        publishLive(d.countByStatus(), d.publishAvailable(), d.fundingAvailableSats());
        return d;
    }

    /** Reads the full audit snapshot and updates every gauge, the conservation gap included; returns it. */
    public PoolSnapshot refreshAll() {
        PoolSnapshot s = pool.snapshot();
        publishLive(s.countByStatus(), s.publishAvailable(), s.fundingAvailableSats());
        gap.set(s.conservationGapSats());
        if (s.conservationGapSats() != 0) {
            LOG.warn("pool conservation gap: {} sats unaccounted for (funded {}, unspent {}, fees {}, retired {})",
                    s.conservationGapSats(), s.fundedSats(), s.totalUnspentSats(), s.feesPaidSats(), s.retiredSats());
        }
        return s;
    }

    private void publishLive(Map<String, Long> countByStatus, long usable, long funding) {
        countByStatus.forEach((status, n) -> depthByStatus.computeIfAbsent(status, k -> new AtomicLong()).set(n));
        publishAvailable.set(usable);
        fundingSats.set(funding);
        boolean isLow = usable < alertThreshold;
        if (isLow && low.get() == 0) {
            LOG.warn("ALERT utxo pool low: {} usable publish UTXOs < threshold {}", usable, alertThreshold);
        }
        low.set(isLow ? 1 : 0);
    }

    public boolean isLow() {
        return low.get() == 1;
    }

    public long alertThreshold() {
        return alertThreshold;
    }
}
