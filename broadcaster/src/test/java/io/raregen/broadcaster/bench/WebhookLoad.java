package io.raregen.broadcaster.bench;

import com.sun.net.httpserver.HttpServer;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.broadcaster.webhooks.WebhookDeliverer;
import io.raregen.broadcaster.webhooks.WebhookFanout;
import io.raregen.broadcaster.webhooks.WebhookSettings;
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
    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
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
        WebhookFanout fanout = new WebhookFanout(kit.ds, settings.getFanoutBatch());
        long poll = settings.getPollInterval().toMillis();
        this.threads = Executors.newFixedThreadPool(settings.getWorkers() + 1, r -> {
            Thread t = new Thread(r, "bench-webhooks");
            t.setDaemon(true);
            return t;
        });
        threads.submit(() -> loop(() -> fanout.runOnce() > 0, poll));
        for (int i = 0; i < settings.getWorkers(); i++) {
            threads.submit(() -> loop(() -> deliverer.deliverBatch(settings.getClaimBatch()) > 0, poll));
        }
        kit.sql("INSERT INTO webhooks (id, pubkey, url, secret, disabled_at) VALUES ('" + webhookId + "', '"
                + kit.client.publicKey().hex() + "', 'http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook', 'whsec_bench', now())");
    }

    static WebhookLoad start(TestKit kit, String kind) throws IOException {
        return new WebhookLoad(kit, kind);
    }

    private interface Step {
        boolean run() throws Exception;
    }

    private Void loop(Step step, long idleMs) {
        while (running.get()) {
            try {
                if (!step.run()) {
                    Thread.sleep(idleMs);
                }
            } catch (InterruptedException e) {
                return null;
            } catch (Exception e) {
                System.out.println("webhook load: " + e);
            }
        }
        return null;
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
        running.set(false);
        threads.shutdownNow();
        try {
            threads.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliverer.close();
        receiver.stop(0);
    }
}
