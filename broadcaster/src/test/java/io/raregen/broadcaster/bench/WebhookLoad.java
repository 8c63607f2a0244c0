package io.raregen.broadcaster.bench;

import com.sun.net.httpserver.HttpServer;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.broadcaster.webhooks.WebhookDeliverer;
import io.raregen.broadcaster.webhooks.WebhookFanout;
import io.raregen.broadcaster.webhooks.WebhookSettings;
import io.raregen.broadcaster.webhooks.WebhookWorkers;
import io.raregen.core.webhooks.WebhookUrl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook work beside a benchmark's drain, as the broadcaster runs it: the fan-out and the delivery workers with their
 * production settings, and one webhook for the client's key pointing at a receiver in this JVM that answers at once
 * ({@code fast}) or sleeps 30 s per call ({@code slow}). {@link #enabled(boolean)} switches the webhook on and off.
 */
final class WebhookLoad implements AutoCloseable {
    final String kind;
    private final TestKit kit;
    private final HttpServer receiver;
    private final WebhookDeliverer deliverer;
    private final WebhookWorkers workers;
    /** The running drain's saturation ({@code PublishPipeline.saturated}), as the broadcaster wires it. */
    private volatile java.util.function.BooleanSupplier yieldTo;
    private final AtomicLong received = new AtomicLong();
    private final UUID webhookId = UUID.randomUUID();

    private WebhookLoad(TestKit kit, String kind) throws IOException {
        if (!kind.equals("fast") && !kind.equals("slow")) {
            throw new IllegalArgumentException("bench.webhooks must be fast or slow");
        }
        this.kind = kind;
        this.kit = kit;
        this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            received.incrementAndGet();
            if (kind.equals("slow")) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-receiver");
            t.setDaemon(true);
            return t;
        }));
        receiver.start();
        WebhookSettings settings = new WebhookSettings();
        this.deliverer = new WebhookDeliverer(kit.ds, settings.backoff(), settings.getTimeout(), true,
                WebhookUrl.Resolver.SYSTEM, new WebhookDeliverer.Listener() { }, settings.getMaxInFlightPerWebhook());
        this.workers = new WebhookWorkers(new WebhookFanout(kit.ds, settings.getFanoutBatch()), deliverer, settings,
                () -> yieldTo != null && yieldTo.getAsBoolean());
        kit.sql("INSERT INTO webhooks (id, pubkey, url, secret, disabled_at) VALUES ('" + webhookId + "', '"
                + kit.client.publicKey().hex() + "', 'http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook', 'whsec_bench', now())");
    }

    static WebhookLoad start(TestKit kit, String kind) throws IOException {
        return new WebhookLoad(kit, kind);
    }

    /** The delivery loops wait while this says the drain is saturated. */
    void yieldTo(java.util.function.BooleanSupplier drainBusy) {
        this.yieldTo = drainBusy;
    }

    /** Registers (on) or disables (off) the client's webhook: off, the fan-out finds no webhook for new events. */
    void enabled(boolean on) {
        kit.sql("UPDATE webhooks SET disabled_at = " + (on ? "NULL" : "now()") + " WHERE id = '" + webhookId + "'");
    }

    long received() {
        return received.get();
    }

    @Override
    public void close() {
        workers.close();
        deliverer.close();
        receiver.stop(0);
    }
}
