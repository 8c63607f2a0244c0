package io.raregen.broadcaster.webhooks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The threads of webhook work: one fan-out loop and {@code workers} delivery loops. While the drain is saturated
 * ({@code drainBusy}: the collector is claiming a backlog), only {@code workersWhileDraining} delivery loops go on and
 * the others wait, and the fan-out reads one page of events per interval instead of reading on to the head: on a machine whose cores the drain already fills, every delivery made then is taken from the
 * broadcast. Notifications fall behind during a backlog and catch up after it; the event stream, read straight from
 * the job event log, does not wait.
 */
public final class WebhookWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorkers.class);

    private final ScheduledExecutorService fanoutExecutor;
    private final ExecutorService workers;
    private volatile boolean running = true;

    public WebhookWorkers(WebhookFanout fanout, WebhookDeliverer deliverer, WebhookSettings settings, BooleanSupplier drainBusy) {
        long poll = Math.max(10, settings.getPollInterval().toMillis());
        int batch = Math.max(1, settings.getClaimBatch());
        int whileDraining = Math.max(1, settings.getWorkersWhileDraining());
        this.fanoutExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-fanout"));
        fanoutExecutor.scheduleWithFixedDelay(() -> {
            try {
                // one round per interval while the drain is saturated; otherwise on until the log is read
                while (running && fanout.runOnce() > 0 && !drainBusy.getAsBoolean()) {
                    // keep going while there is a backlog of events
                }
            } catch (Exception e) {
                LOG.warn("webhook fan-out failed: {}", e.toString());
            }
        }, poll, poll, TimeUnit.MILLISECONDS);
        this.workers = Executors.newFixedThreadPool(settings.getWorkers(), r -> daemon(r, "webhook-worker"));
        for (int i = 0; i < settings.getWorkers(); i++) {
            boolean yields = i >= whileDraining;
            workers.submit(() -> work(deliverer, poll, batch, yields ? drainBusy : () -> false));
        }
    }

    private void work(WebhookDeliverer deliverer, long pollMs, int batch, BooleanSupplier pause) {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (pause.getAsBoolean() || deliverer.deliverBatch(batch) == 0) {
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

    @Override
    public void close() {
        running = false;
        fanoutExecutor.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
