package io.raregen.broadcaster.replenish;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.raregen.broadcaster.utxo.DirtyUtxoChecker;
import io.raregen.broadcaster.utxo.PoolDepthHistory;
import io.raregen.broadcaster.utxo.PoolMetrics;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's background loops: replenish (every {@code raregen.replenisher.interval}), consolidate (off by
 * default), re-check dirty UTXOs, refresh the pool gauges. A failing round is logged and the next one runs.
 * {@code raregen.pool.jobs.enabled=false} turns them all off (tests, tools). Each live gauge refresh is also
 * written to the pool's depth history (V26 {@code pool_depth_samples}) for the operator's charts.
 */
@Singleton
@Requires(property = "raregen.pool.jobs.enabled", notEquals = "false")
public class PoolJobs {
    private static final Logger LOG = LoggerFactory.getLogger(PoolJobs.class);

    private final Replenisher replenisher;
    private final ReplenisherSettings settings;
    private final DirtyUtxoChecker dirty;
    private final PoolMetrics metrics;
    private final PoolDepthHistory history;

    public PoolJobs(Replenisher replenisher, ReplenisherSettings settings, DirtyUtxoChecker dirty, PoolMetrics metrics,
                    PoolDepthHistory history) {
        this.replenisher = replenisher;
        this.settings = settings;
        this.dirty = dirty;
        this.metrics = metrics;
        this.history = history;
    }

    @Scheduled(fixedDelay = "${raregen.replenisher.interval:30s}", initialDelay = "${raregen.replenisher.initial-delay:5s}")
    void replenish() {
        if (!settings.isEnabled()) {
            return;
        }
        try {
            replenisher.runOnce();
        } catch (RuntimeException e) {
            LOG.error("replenisher round failed; next round in {}", settings.getInterval(), e);
        }
    }

    @Scheduled(fixedDelay = "${raregen.replenisher.consolidation-interval:1h}", initialDelay = "1m")
    void consolidate() {
        if (!settings.isConsolidationEnabled()) {
            return;
        }
        try {
            replenisher.consolidateOnce();
        } catch (RuntimeException e) {
            LOG.error("consolidation round failed", e);
        }
    }

    @Scheduled(fixedDelay = "${raregen.pool.dirty-recheck-interval:60s}", initialDelay = "30s")
    void recheckDirty() {
        try {
            DirtyUtxoChecker.Result r = dirty.runOnce(500);
            if (r.checked() > 0) {
                LOG.info("dirty re-check: {} checked, {} restored, {} retired, {} undecided", r.checked(), r.restored(),
                        r.retired(), r.undecided());
            }
        } catch (RuntimeException e) {
            LOG.error("dirty re-check failed", e);
        }
    }

    @Scheduled(fixedDelay = "${raregen.pool.metrics-interval:15s}", initialDelay = "2s")
    void refreshMetrics() {
        try {
            history.record(metrics.refresh());
        } catch (RuntimeException e) {
            LOG.warn("pool metrics refresh failed: {}", e.getMessage());
        }
    }

    /** The history-wide audit (spent/retired counts, conservation gap): its cost grows with every publish. */
    @Scheduled(fixedDelay = "${raregen.pool.conservation-interval:10m}", initialDelay = "5s")
    void refreshConservation() {
        try {
            metrics.refreshAll();
        } catch (RuntimeException e) {
            LOG.warn("pool conservation refresh failed: {}", e.getMessage());
        }
    }
}
