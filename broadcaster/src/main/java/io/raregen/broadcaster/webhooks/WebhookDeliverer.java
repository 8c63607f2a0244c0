package io.raregen.broadcaster.webhooks;

import io.raregen.core.webhooks.Backoff;
import io.raregen.core.webhooks.WebhookSignature;
import io.raregen.core.webhooks.WebhookUrl;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delivers due webhooks: claims a batch (for each, the oldest pending delivery of its webhook and job, so a
 * job's events arrive in order; at most {@code maxInFlightPerWebhook} calls open to a receiver that is slow,
 * failing or not yet seen, no limit for one that answered 2xx within a second), commits
 * a lease, POSTs them side by side with no database transaction open, and records the outcomes. Each worker
 * thread calls {@link #deliverBatch(int)} in a loop, so a receiver that hangs holds a worker for at most the
 * timeout, and at most its share of calls.
 */
public final class WebhookDeliverer implements AutoCloseable {

    /** The most of a response body read (and thrown away); the rest is not read at all. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final String USER_AGENT = "RareGen-Webhooks/1";

    /** What became of one delivery. */
    public enum Outcome { DELIVERED, RETRY, DEAD, GONE }

    /** Counters for metrics; no-op by default. */
    public interface Listener {
        default void outcome(Outcome o) {
        }
    }

    /** A claimed delivery. */
    record Claimed(long id, UUID webhookId, String eventId, String url, String secret, byte[] body, int attempts,
                   Instant firstAttemptAt) {
    }

    /*
     * Due deliveries, oldest due first, that are the first pending one of their webhook and job (so a job's events
     * arrive in order: webhook_delivery_is_head, migration V32), skipping webhooks that already have as many calls
     * open here as allowed. Ordered by next_attempt_at alone, as idx_webhook_deliveries_due is: the scan stops after
     * LIMIT rows (with "id" as a second key, each fan-out round's rows, which share one next_attempt_at, were all
     * read and sorted on every claim).
     */
    private static final String CLAIM = """
            SELECT d.id, d.webhook_id, d.event_id, w.url, w.secret, d.body, d.attempts, d.first_attempt_at
            FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.disabled_at IS NULL
              AND NOT (d.webhook_id = ANY (?))
              AND webhook_delivery_is_head(d.webhook_id, d.job_id, d.id)
            ORDER BY d.next_attempt_at
            LIMIT ?
            FOR UPDATE OF d SKIP LOCKED""";

    private final DataSource ds;
    private final Backoff backoff;
    private final Duration timeout;
    private final boolean allowLoopback;
    private final WebhookUrl.Resolver resolver;
    private final Listener listener;
    private final ExecutorService httpExecutor;
    /** Sends the deliveries of one claimed batch side by side (each bounded by the timeout). */
    private final ExecutorService sendPool;
    private final ScheduledExecutorService watchdog;
    private final HttpClient http;
    private final int maxInFlightPerWebhook;
    /** Webhooks whose last call was answered 2xx within {@link #HEALTHY_CALL}: they may have more calls open. */
    private final java.util.Set<UUID> healthy = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A call answered within this is a healthy receiver's. */
    static final Duration HEALTHY_CALL = Duration.ofSeconds(1);
    /**
     * After a claim that found nothing, the other workers skip their claims for this long (or until a call in
     * flight ends): one empty look at the outbox per pause instead of one per worker. An empty look can be
     * expensive: when a slow receiver at its limit has thousands of due deliveries, it passes over all of them.
     */
    static final Duration EMPTY_CLAIM_PAUSE = Duration.ofMillis(500);
    private volatile long noClaimBefore = System.nanoTime();
    /** Deliveries being sent by this process, per webhook: a slow receiver holds only its own share of workers. */
    private final java.util.concurrent.ConcurrentHashMap<UUID, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param maxInFlightPerWebhook deliveries of one webhook sent at once by this process; a receiver that hangs
     *                              holds at most this many workers, the others keep serving every other receiver
     */
    public WebhookDeliverer(DataSource ds, Backoff backoff, Duration timeout, boolean allowLoopback,
                            WebhookUrl.Resolver resolver, Listener listener, int maxInFlightPerWebhook) {
        if (maxInFlightPerWebhook < 1) {
            throw new IllegalArgumentException("maxInFlightPerWebhook must be at least 1");
        }
        this.maxInFlightPerWebhook = maxInFlightPerWebhook;
        this.ds = ds;
        this.backoff = backoff;
        this.timeout = timeout;
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
        this.listener = listener;
        this.httpExecutor = Executors.newFixedThreadPool(2, daemon("webhook-http"));
        this.sendPool = Executors.newCachedThreadPool(daemon("webhook-send"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("webhook-watchdog"));
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(httpExecutor)
                .build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Claims up to {@code max} due deliveries in one transaction, sends them side by side, and records every
     * success in one statement (a failure on its own, with its backoff): two round trips to Postgres for a batch
     * instead of three statements and two commits per delivery. Returns how many deliveries were claimed (0: nothing due).
     */
    public int deliverBatch(int max) throws SQLException, InterruptedException {
        List<Claimed> claimed = claim(max);
        if (claimed.isEmpty()) {
            return 0;
        }
        try {
            List<java.util.concurrent.Future<Result>> results = new ArrayList<>(claimed.size());
            for (Claimed d : claimed) {
                results.add(sendPool.submit(() -> sendTimed(d)));
            }
            List<Claimed> delivered = new ArrayList<>(claimed.size());
            List<Integer> codes = new ArrayList<>(claimed.size());
            for (int i = 0; i < claimed.size(); i++) {
                Result r;
                try {
                    r = results.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    r = new Result(-1, "send: " + e.getCause().getClass().getSimpleName());
                }
                if (r.ok()) {
                    delivered.add(claimed.get(i));
                    codes.add(r.status());
                } else {
                    listener.outcome(record(claimed.get(i), r));
                }
            }
            recordDelivered(delivered, codes);
            delivered.forEach(d -> listener.outcome(Outcome.DELIVERED));
            return claimed.size();
        } finally {
            release(claimed);
        }
    }

    private void release(List<Claimed> claimed) {
        for (Claimed d : claimed) {
            inFlight.computeIfPresent(d.webhookId(), (k, n) -> n <= 1 ? null : n - 1);
        }
        noClaimBefore = System.nanoTime(); // a receiver may have room again
    }

    private void recordDelivered(List<Claimed> delivered, List<Integer> codes) throws SQLException {
        if (delivered.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE webhook_deliveries d SET status = 'delivered', delivered_at = now(), attempts = d.attempts + 1,
                       last_status_code = x.code, last_error = NULL
                FROM unnest(?::bigint[], ?::int[]) AS x(id, code) WHERE d.id = x.id""")) {
            ps.setArray(1, c.createArrayOf("bigint", delivered.stream().map(Claimed::id).toArray()));
            ps.setArray(2, c.createArrayOf("integer", codes.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Calls one webhook may have open here: no limit for a receiver whose last call was answered 2xx within a
     * second (so a fast receiver keeps every worker busy); {@code maxInFlightPerWebhook} for a slow, failing or
     * new one. A healthy receiver that starts to hang holds the calls already open, once, for at most the timeout.
     */
    private int cap(UUID webhook) {
        return healthy.contains(webhook) ? Integer.MAX_VALUE : maxInFlightPerWebhook;
    }

    /** Sends, and notes whether the receiver answered like a healthy one. */
    private Result sendTimed(Claimed d) throws InterruptedException {
        long t0 = System.nanoTime();
        Result r = send(d);
        boolean fast = r.ok() && System.nanoTime() - t0 < HEALTHY_CALL.toNanos();
        if (fast) {
            healthy.add(d.webhookId());
        } else {
            healthy.remove(d.webhookId());
        }
        return r;
    }

    /** Webhooks with as many deliveries in flight here as allowed. */
    private UUID[] busyWebhooks() {
        return inFlight.entrySet().stream().filter(e -> e.getValue() >= cap(e.getKey()))
                .map(java.util.Map.Entry::getKey).toArray(UUID[]::new);
    }

    /** Status code (or -1) and a short error, never a header, a body or the secret. */
    record Result(int status, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Claims up to {@code max} deliveries, at most as many per webhook as it may still have in flight here. One claim
     * at a time in this process, so the per-webhook in-flight count is exact.
     */
    private synchronized List<Claimed> claim(int max) throws SQLException {
        if (System.nanoTime() - noClaimBefore < 0) {
            return List.of();
        }
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Claimed> picked = new ArrayList<>();
                java.util.Map<UUID, Integer> taken = new java.util.HashMap<>();
                // (the fan-out keeps the statistics this plan needs: WebhookFanout.ANALYZE_AFTER_ROWS)
                try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    ps.setArray(1, c.createArrayOf("uuid", busyWebhooks()));
                    ps.setInt(2, max * 2);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && picked.size() < max) {
                            UUID webhook = (UUID) rs.getObject(2);
                            int busy = inFlight.getOrDefault(webhook, 0) + taken.getOrDefault(webhook, 0);
                            if (busy >= cap(webhook)) {
                                continue; // locked by this transaction, not leased: free again at commit
                            }
                            taken.merge(webhook, 1, Integer::sum);
                            Timestamp first = rs.getTimestamp(8);
                            picked.add(new Claimed(rs.getLong(1), webhook, rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getBytes(6), rs.getInt(7), first == null ? null : first.toInstant()));
                        }
                    }
                }
                if (picked.isEmpty()) {
                    c.rollback();
                    noClaimBefore = System.nanoTime() + EMPTY_CLAIM_PAUSE.toNanos();
                    return List.of();
                }
                Instant now = Instant.now();
                // The lease: nobody else takes these rows until the HTTP calls must be over.
                Duration lease = timeout.multipliedBy(2).plusSeconds(30);
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE webhook_deliveries SET next_attempt_at = ?,
                               first_attempt_at = coalesce(first_attempt_at, ?) WHERE id = ANY (?)""")) {
                    ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setArray(3, c.createArrayOf("bigint", picked.stream().map(Claimed::id).toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                List<Claimed> out = new ArrayList<>(picked.size());
                for (Claimed d : picked) {
                    inFlight.merge(d.webhookId(), 1, Integer::sum);
                    out.add(new Claimed(d.id(), d.webhookId(), d.eventId(), d.url(), d.secret(), d.body(),
                            d.attempts(), d.firstAttemptAt() == null ? now : d.firstAttemptAt()));
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    Result send(Claimed d) throws InterruptedException {
        URI uri;
        try {
            uri = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            return new Result(-1, "url: unparsable");
        }
        // DNS rebinding: the name may resolve elsewhere now than at registration.
        try {
            String raw = uri.getHost();
            if (raw == null) {
                return new Result(-1, "url: no host");
            }
            String host = raw.startsWith("[") ? raw.substring(1, raw.length() - 1) : raw;
            for (InetAddress a : resolver.resolve(host)) {
                WebhookUrl.checkAddress(a, allowLoopback);
            }
        } catch (WebhookUrl.Rejected e) {
            return new Result(-1, "address_forbidden");
        } catch (IOException e) {
            return new Result(-1, "dns: " + e.getClass().getSimpleName());
        }
        try {
            HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(d.secret(), d.body(), Instant.now()))
                .header("RareGen-Event-Id", d.eventId())
                .header("RareGen-Webhook-Id", d.webhookId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                .build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            drainBounded(resp.body());
            return new Result(resp.statusCode(), null);
        } catch (HttpTimeoutException e) {
            return new Result(-1, "timeout");
        } catch (IOException e) {
            return new Result(-1, "io: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // a URL the client could register but the HTTP client refuses: a failed attempt, not a stuck row
            return new Result(-1, "request: " + e.getClass().getSimpleName());
        }
    }

    /** Reads at most {@link #MAX_RESPONSE_BYTES}, and for at most the timeout, then closes the stream. */
    private void drainBounded(InputStream in) {
        ScheduledFuture<?> kill = watchdog.schedule(() -> {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (in) {
            byte[] buf = new byte[8192];
            int total = 0;
            int n;
            while (total < MAX_RESPONSE_BYTES && (n = in.read(buf, 0, Math.min(buf.length, MAX_RESPONSE_BYTES - total))) >= 0) {
                total += n;
            }
        } catch (IOException ignored) {
            // the status code is all that counts
        } finally {
            kill.cancel(false);
        }
    }

    private Outcome record(Claimed d, Result r) throws SQLException {
        int attempts = d.attempts() + 1;
        Integer code = r.status() > 0 ? r.status() : null;
        String error = r.error() != null ? r.error() : (r.ok() ? null : "http " + r.status());
        try (Connection c = ds.getConnection()) {
            if (r.ok()) {
                update(c, "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), attempts = ?, "
                        + "last_status_code = ?, last_error = NULL WHERE id = ?", attempts, code, d.id());
                return Outcome.DELIVERED;
            }
            if (r.status() == 410) {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    update(c, "UPDATE webhooks SET disabled_at = now(), disabled_reason = 'receiver answered 410 Gone' "
                            + "WHERE id = ? AND disabled_at IS NULL", d.webhookId());
                    // Pending until replayed or re-enabled; it is not retried while the webhook is disabled.
                    update(c, "UPDATE webhook_deliveries SET attempts = ?, last_status_code = 410, last_error = 'http 410', "
                            + "next_attempt_at = now() WHERE id = ?", attempts, d.id());
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
                return Outcome.GONE;
            }
            Optional<Instant> next = backoff.next(attempts, d.firstAttemptAt(), Instant.now());
            if (next.isEmpty()) {
                update(c, "UPDATE webhook_deliveries SET status = 'dead', attempts = ?, last_status_code = ?, last_error = ? "
                        + "WHERE id = ?", attempts, code, truncate(error), d.id());
                return Outcome.DEAD;
            }
            update(c, "UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ? "
                    + "WHERE id = ?", attempts, Timestamp.from(next.get()), code, truncate(error), d.id());
            return Outcome.RETRY;
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        httpExecutor.shutdownNow();
        sendPool.shutdownNow();
        watchdog.shutdownNow();
    }
}
