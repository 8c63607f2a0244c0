package io.raregen.functions.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * An in-memory meter registry behind Micronaut's composite, so counters such as
 * {@code raregen.intake.enqueue.failures} count. No exporter: on Lambda the matching WARN log
 * line is what CloudWatch turns into a metric, and the broadcaster owns /prometheus.
 */
@Factory
public class MetricsFactory {

    @Singleton
    MeterRegistry simpleMeterRegistry() {
        return new SimpleMeterRegistry();
    }
}
