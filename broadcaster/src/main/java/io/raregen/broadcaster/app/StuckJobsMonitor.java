package io.raregen.broadcaster.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import io.raregen.broadcaster.metrics.StuckJobsGauge;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;

/** Keeps {@code raregen_jobs_stuck} current ({@code raregen.metrics.stuck-after}, default 5 minutes). */
@Singleton
final class StuckJobsMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(StuckJobsMonitor.class);

    private final StuckJobsGauge gauge;

    StuckJobsMonitor(DataSource wrapped, DataSourceResolver resolver, MeterRegistry registry,
                     @Value("${raregen.metrics.stuck-after:5m}") Duration stuckAfter) {
        this.gauge = new StuckJobsGauge(resolver.resolve(wrapped), stuckAfter, registry);
    }

    @Scheduled(fixedDelay = "${raregen.metrics.stuck-refresh:30s}", initialDelay = "5s")
    void refresh() {
        try {
            long n = gauge.refresh();
            if (n > 0) {
                LOG.warn("{} jobs stuck in processing or signed", n);
            }
        } catch (Exception e) {
            LOG.warn("could not count stuck jobs: {}", e.toString());
        }
    }
}
