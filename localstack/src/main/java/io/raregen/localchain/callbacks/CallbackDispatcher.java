package io.raregen.localchain.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.TxView;
import io.raregen.localchain.ledger.CallbackTarget;
import io.raregen.localchain.ledger.StatusListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers ARC status callbacks: POST of the ARC payload to X-CallbackUrl with
 * {@code Authorization: Bearer <X-CallbackToken>}; a failed delivery (non-2xx or I/O error) is
 * retried with doubling backoff up to a bounded number of attempts. At-least-once: a receiver
 * that answers late may see the same status twice.
 */
public final class CallbackDispatcher implements StatusListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    public CallbackDispatcher(ScheduledExecutorService scheduler, ObjectMapper json, int maxAttempts,
                              Duration initialBackoff, Duration maxBackoff) {
        this.scheduler = scheduler;
        this.json = json;
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = Math.max(1, initialBackoff.toMillis());
        this.maxBackoffMs = Math.max(initialBackoffMs, maxBackoff.toMillis());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(scheduler).build();
    }

    @Override
    public void statusChanged(TxView view, List<CallbackTarget> targets) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(CallbackPayload.of(view));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode callback", e);
        }
        for (CallbackTarget t : targets) {
            attempt(t, body, view.txid(), 1);
        }
    }

    private void attempt(CallbackTarget target, byte[] body, String txid, int attempt) {
        HttpRequest.Builder rb;
        try {
            rb = HttpRequest.newBuilder(URI.create(target.url()));
        } catch (IllegalArgumentException e) {
            LOG.warn("callback for {} dropped: bad URL {}", txid, target.url());
            abandoned.incrementAndGet();
            return;
        }
        rb.timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target.token() != null && !target.token().isEmpty()) {
            rb.header("Authorization", "Bearer " + target.token());
        }
        http.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                return;
            }
            failedAttempts.incrementAndGet();
            if (attempt >= maxAttempts) {
                abandoned.incrementAndGet();
                LOG.warn("callback for {} to {} abandoned after {} attempts", txid, target.url(), attempt);
                return;
            }
            long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(20, attempt - 1));
            LOG.debug("callback for {} failed ({}), retry {} in {} ms", txid,
                    err != null ? err.toString() : "HTTP " + resp.statusCode(), attempt + 1, backoff);
            try {
                scheduler.schedule(() -> attempt(target, body, txid, attempt + 1), backoff, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                abandoned.incrementAndGet();
            }
        });
    }

    public long delivered() {
        return delivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long abandoned() {
        return abandoned.get();
    }
}
