package io.raregen.broadcaster.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.core.annotation.Nullable;
import io.raregen.broadcaster.metrics.DeadLetterGauge;
import io.raregen.broadcaster.metrics.StuckJobsGauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Keeps the alarm gauges current: {@code raregen_jobs_stuck} ({@code raregen.metrics.stuck-after}, default
 * 5 minutes), {@code raregen_jobs_queued_oldest_seconds} and {@code raregen_dlq_messages}
 * ({@code raregen.queue.dlq-url}).
 */
@Context // its gauges are exported from start-up, not only once the first refresh has run
final class StuckJobsMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(StuckJobsMonitor.class);

    private final StuckJobsGauge gauge;
    private final DeadLetterGauge dlq;

    StuckJobsMonitor(DataSource wrapped, DataSourceResolver resolver, MeterRegistry registry,
                     @Value("${raregen.metrics.stuck-after:5m}") Duration stuckAfter, SqsClient sqs,
                     @Nullable @Value("${raregen.queue.dlq-url:}") String dlqUrl) {
        this.gauge = new StuckJobsGauge(resolver.resolve(wrapped), stuckAfter, registry);
        this.dlq = new DeadLetterGauge(sqs, dlqUrl, registry);
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
        try {
            dlq.refresh();
        } catch (RuntimeException e) {
            LOG.warn("could not read the dead-letter queue depth: {}", e.toString());
        }
    }
}
