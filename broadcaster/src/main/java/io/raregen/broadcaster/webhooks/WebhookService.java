package io.raregen.broadcaster.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.core.webhooks.WebhookUrl;
import jakarta.annotation.PreDestroy;

import javax.sql.DataSource;

/**
 * Runs webhook fan-out and delivery in the broadcaster: the outbox is in Postgres, which the broadcaster
 * already polls as a long-running service, so no extra queue or function is needed, and a restart loses
 * nothing (every state is in the table). Delivery threads are separate from the drain's, so a slow
 * receiver slows no broadcast, and most of them wait while the drain is saturated ({@link WebhookWorkers}).
 */
@Context
@Requires(property = "raregen.webhooks.enabled", notEquals = "false")
final class WebhookService {
    private final WebhookWorkers workers;
    private final WebhookDeliverer deliverer;

    WebhookService(DataSource wrapped, DataSourceResolver resolver, WebhookSettings settings, MeterRegistry registry,
                   BeanProvider<PublishPipeline> pipeline) {
        DataSource ds = resolver.resolve(wrapped);
        Counter delivered = registry.counter("raregen_webhook_deliveries", "outcome", "delivered");
        Counter failed = registry.counter("raregen_webhook_deliveries", "outcome", "failed_attempt");
        Counter dead = registry.counter("raregen_webhook_deliveries", "outcome", "dead");
        Counter gone = registry.counter("raregen_webhook_deliveries", "outcome", "gone");
        this.deliverer = new WebhookDeliverer(ds, settings.backoff(), settings.getTimeout(), settings.isAllowLoopbackHttp(),
                WebhookUrl.Resolver.SYSTEM, new WebhookDeliverer.Listener() {
                    @Override
                    public void outcome(WebhookDeliverer.Outcome o) {
                        switch (o) {
                            case DELIVERED -> delivered.increment();
                            case RETRY -> failed.increment();
                            case DEAD -> { failed.increment(); dead.increment(); }
                            case GONE -> gone.increment();
                        }
                    }
                }, settings.getMaxInFlightPerWebhook());
        // the drain's saturation, read when a delivery loop decides whether to wait (the pipeline is built on demand)
        this.workers = new WebhookWorkers(new WebhookFanout(ds, settings.getFanoutBatch()), deliverer, settings,
                () -> drainSaturated(pipeline));
    }

    private volatile PublishPipeline pipelineSeen;

    private boolean drainSaturated(BeanProvider<PublishPipeline> pipeline) {
        PublishPipeline p = pipelineSeen;
        if (p == null) {
            if (!pipeline.isPresent()) {
                return false; // no drain in this context: nothing to yield to
            }
            p = pipeline.get();
            pipelineSeen = p;
        }
        return p.saturated();
    }

    @PreDestroy
    void stop() {
        workers.close();
        deliverer.close();
    }
}
