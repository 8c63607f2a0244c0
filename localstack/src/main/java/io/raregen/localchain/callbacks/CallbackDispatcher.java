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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A target that asked for {@code X-CallbackBatch: true} gets ARC's batched form instead, posted to the
 * same URL: {@code {"count": n, "callbacks": [payload, ...]}} with at most {@value #BATCH_MAX} callbacks,
 * sent {@link #BATCH_LINGER} after the first one waiting for that URL and token (or at once when full),
 * retried as one request.
 */
public final class CallbackDispatcher implements StatusListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);
    /** ARC's callbacker sends at most 50 callbacks per batch. */
    static final int BATCH_MAX = 50;
    /** How long the first callback of a batch waits for others (a block's callbacks come together). */
    static final Duration BATCH_LINGER = Duration.ofMillis(200);

    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong batchesDelivered = new AtomicLong();
    /** Batched callbacks waiting per URL and token; guarded by itself. */
    private final Map<BatchKey, List<CallbackPayload>> waiting = new HashMap<>();

    private record BatchKey(String url, String token) {
        @Override
        public String toString() {
            return url; // the token is a secret
        }
    }

    /** ARC's batched callback body. */
    record BatchPayload(int count, List<CallbackPayload> callbacks) {
    }

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
        CallbackPayload payload = CallbackPayload.of(view);
        byte[] single = null;
        for (CallbackTarget t : targets) {
            if (t.batch()) {
                enqueue(new BatchKey(t.url(), t.token()), payload);
                continue;
            }
            if (single == null) {
                single = encode(payload);
            }
            attempt(t.url(), t.token(), single, view.txid(), 0, 1);
        }
    }

    private void enqueue(BatchKey key, CallbackPayload payload) {
        boolean first;
        boolean full;
        synchronized (waiting) {
            List<CallbackPayload> list = waiting.computeIfAbsent(key, k -> new ArrayList<>());
            first = list.isEmpty();
            list.add(payload);
            full = list.size() >= BATCH_MAX;
        }
        if (full) {
            flush(key);
        } else if (first) {
            later(key);
        }
    }

    /** Sends what waits for {@code key} after the linger (nothing when the chain is shutting down). */
    private void later(BatchKey key) {
        try {
            scheduler.schedule(() -> flush(key), BATCH_LINGER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            LOG.debug("callbacks for {} not sent: the chain is stopping", key);
        }
    }

    private void flush(BatchKey key) {
        List<CallbackPayload> batch;
        synchronized (waiting) {
            List<CallbackPayload> list = waiting.get(key);
            if (list == null || list.isEmpty()) {
                return; // a full batch already went
            }
            int n = Math.min(BATCH_MAX, list.size());
            batch = new ArrayList<>(list.subList(0, n));
            list.subList(0, n).clear();
            if (!list.isEmpty()) {
                later(key);
            }
        }
        attempt(key.url(), key.token(), encode(new BatchPayload(batch.size(), batch)),
                "batch of " + batch.size(), batch.size(), 1);
    }

    private byte[] encode(Object payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode callback", e);
        }
    }

    /** @param batchOf 0 for a single callback, else the number of callbacks in the batch body */
    private void attempt(String url, String token, byte[] body, String what, int batchOf, int attempt) {
        int callbacks = Math.max(1, batchOf);
        HttpRequest.Builder rb;
        try {
            rb = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            LOG.warn("callback for {} dropped: bad URL {}", what, url);
            abandoned.addAndGet(callbacks);
            return;
        }
        rb.timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null && !token.isEmpty()) {
            rb.header("Authorization", "Bearer " + token);
        }
        http.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                delivered.addAndGet(callbacks);
                if (batchOf > 0) {
                    batchesDelivered.incrementAndGet();
                }
                return;
            }
            failedAttempts.incrementAndGet();
            if (attempt >= maxAttempts) {
                abandoned.addAndGet(callbacks);
                LOG.warn("callback for {} to {} abandoned after {} attempts", what, url, attempt);
                return;
            }
            long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(20, attempt - 1));
            LOG.debug("callback for {} failed ({}), retry {} in {} ms", what,
                    err != null ? err.toString() : "HTTP " + resp.statusCode(), attempt + 1, backoff);
            try {
                scheduler.schedule(() -> attempt(url, token, body, what, batchOf, attempt + 1), backoff, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                abandoned.addAndGet(callbacks);
            }
        });
    }

    public long delivered() {
        return delivered.get();
    }

    /** Batched requests (X-CallbackBatch) answered 2xx; their callbacks are counted in {@link #delivered()}. */
    public long batchesDelivered() {
        return batchesDelivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long abandoned() {
        return abandoned.get();
    }
}
