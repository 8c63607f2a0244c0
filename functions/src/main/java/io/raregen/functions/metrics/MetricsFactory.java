package io.raregen.functions.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * An in-memory meter registry behind Micronaut's composite, so counters such as
 * {@code raregen.intake.enqueue.failures} count. On Lambda, {@link EmbeddedMetricsFilter} ships their
 * increments to CloudWatch as embedded metric format log lines; the broadcaster owns /prometheus.
 */
@Factory
public class MetricsFactory {

    @Singleton
    MeterRegistry simpleMeterRegistry() {
        return new SimpleMeterRegistry();
    }
}
