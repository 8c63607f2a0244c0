package io.raregen.broadcaster.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import io.raregen.core.webhooks.WebhookUrl;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs webhook fan-out and delivery in the broadcaster: the outbox is in Postgres, which the broadcaster
 * already polls as a long-running service, so no extra queue or function is needed, and a restart loses
 * nothing (every state is in the table). Delivery threads are separate from the drain's, so a slow
 * receiver slows no broadcast.
 */
@Context
@Requires(property = "raregen.webhooks.enabled", notEquals = "false")
final class WebhookService {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);

    private final ScheduledExecutorService fanoutExecutor;
    private final ExecutorService workers;
    private final WebhookDeliverer deliverer;
    private volatile boolean running = true;

    WebhookService(DataSource wrapped, DataSourceResolver resolver, WebhookSettings settings, MeterRegistry registry) {
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
                            default -> { }
                        }
                    }
                }, settings.getMaxInFlightPerWebhook());
        WebhookFanout fanout = new WebhookFanout(ds, settings.getFanoutBatch());
        long poll = Math.max(10, settings.getPollInterval().toMillis());
        this.fanoutExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-fanout"));
        fanoutExecutor.scheduleWithFixedDelay(() -> {
            try {
                while (running && fanout.runOnce() > 0) {
                    // keep going while there is a backlog
                }
            } catch (Exception e) {
                LOG.warn("webhook fan-out failed: {}", e.toString());
            }
        }, poll, poll, TimeUnit.MILLISECONDS);
        this.workers = Executors.newFixedThreadPool(settings.getWorkers(), r -> daemon(r, "webhook-worker"));
        for (int i = 0; i < settings.getWorkers(); i++) {
            workers.submit(() -> work(poll, Math.max(1, settings.getClaimBatch())));
        }
    }

    private void work(long pollMs, int batch) {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (deliverer.deliverBatch(batch) == 0) {
                    Thread.sleep(pollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("webhook delivery failed: {}", e.toString());
                try {
                    Thread.sleep(pollMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @PreDestroy
    void stop() {
        running = false;
        fanoutExecutor.shutdownNow();
        workers.shutdownNow();
        deliverer.close();
    }
}
