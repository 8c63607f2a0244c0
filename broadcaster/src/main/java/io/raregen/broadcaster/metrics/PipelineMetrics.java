package io.raregen.broadcaster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The broadcaster's meters, named so Prometheus shows {@code raregen_batch_size},
 * {@code raregen_tx_per_sec}, {@code raregen_publish_duration_seconds} and
 * {@code raregen_broadcast_outcomes_total{outcome,code}}, {@code raregen_poison_messages_total} and
 * {@code raregen_broadcast_consecutive_failures} (the "5 consecutive failures" alarm reads it: docs/OPERATIONS.md#broadcast-failures).
 */
public final class PipelineMetrics {
    private static final int WINDOW_SECONDS = 10;

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer publishDuration;
    private final Counter poison;
    private final Counter sent;
    // broadcasts that failed (unknown outcome or rejected) since the last one the network accepted
    private final AtomicLong consecutiveFailures = new AtomicLong();
    // per-second buckets of sent transactions over a sliding window, for the tx/s gauge
    private final AtomicLongArray buckets = new AtomicLongArray(WINDOW_SECONDS + 1);
    private final AtomicLongArray bucketSecond = new AtomicLongArray(WINDOW_SECONDS + 1);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("raregen.batch.size")
                .description("jobs per claimed batch").publishPercentileHistogram()
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500).register(registry);
        this.publishDuration = Timer.builder("raregen.publish.duration")
                .description("intake accept to sent").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        this.poison = Counter.builder("raregen.poison.messages").description("unparseable or unknown-job messages deleted").register(registry);
        this.sent = Counter.builder("raregen.sent").description("jobs moved to sent").register(registry);
        Gauge.builder("raregen.tx.per.sec", this, PipelineMetrics::txPerSecond)
                .description("jobs sent per second over the last 10 s").register(registry);
        Gauge.builder("raregen.broadcast.consecutive.failures", consecutiveFailures, AtomicLong::get)
                .description("broadcast results in a row that were unknown or rejected; 0 after an accepted one")
                .register(registry);
    }

    public void batch(int size) {
        batchSize.record(size);
    }

    public void poison(int n) {
        poison.increment(n);
    }

    public void outcome(String outcome, String code) {
        registry.counter("raregen.broadcast.outcomes", "outcome", outcome, "code", code == null ? "none" : code).increment();
        switch (outcome) {
            case "ACCEPTED", "MINED" -> consecutiveFailures.set(0);
            case "UNKNOWN", "REJECTED" -> consecutiveFailures.incrementAndGet();
            default -> {
                // IN_FLIGHT and CONFLICT say the network is answering; they neither count nor reset
            }
        }
    }

    public long consecutiveFailures() {
        return consecutiveFailures.get();
    }

    public void jobFailed(String code) {
        registry.counter("raregen.jobs.failed", "code", code).increment();
    }

    public void sent(Duration acceptToSent) {
        sent.increment();
        publishDuration.record(acceptToSent.isNegative() ? Duration.ZERO : acceptToSent);
        long sec = System.currentTimeMillis() / 1000;
        int i = (int) (sec % buckets.length());
        if (bucketSecond.get(i) != sec) {
            bucketSecond.set(i, sec);
            buckets.set(i, 0);
        }
        buckets.incrementAndGet(i);
    }

    public double txPerSecond() {
        long now = System.currentTimeMillis() / 1000;
        long total = 0;
        for (int i = 0; i < buckets.length(); i++) {
            long s = bucketSecond.get(i);
            if (s < now && s >= now - WINDOW_SECONDS) {
                total += buckets.get(i);
            }
        }
        return total / (double) WINDOW_SECONDS;
    }
}
