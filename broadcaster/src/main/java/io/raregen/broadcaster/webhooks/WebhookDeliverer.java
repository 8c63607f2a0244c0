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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one due webhook at a time per call: claims it (the oldest pending delivery of its webhook and
 * job, so a job's events arrive in order), commits a lease, POSTs it with no database transaction open,
 * and records the outcome. Each worker thread calls {@link #deliverOne()} in a loop, so a receiver that
 * hangs holds one worker for at most the timeout and nothing else.
 */
public final class WebhookDeliverer implements AutoCloseable {

    /** The most of a response body read (and thrown away); the rest is not read at all. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final String USER_AGENT = "RareGen-Webhooks/1";

    /** What one call did. */
    public enum Outcome { NONE, DELIVERED, RETRY, DEAD, GONE }

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
     * The oldest due delivery that is the first pending one of its webhook and job (so a job's events arrive in
     * order), skipping webhooks that already have as many deliveries in flight here as allowed. NOT EXISTS looks up
     * one (webhook, job) in idx_webhook_deliveries_job instead of ranking every pending row on each claim.
     */
    private static final String CLAIM = """
            SELECT d.id, d.webhook_id, d.event_id, w.url, w.secret, d.body, d.attempts, d.first_attempt_at
            FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.disabled_at IS NULL
              AND NOT (d.webhook_id = ANY (?))
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries h
                              WHERE h.webhook_id = d.webhook_id AND h.job_id = d.job_id
                                AND h.status = 'pending' AND h.id < d.id)
            ORDER BY d.next_attempt_at, d.id
            LIMIT 1
            FOR UPDATE OF d SKIP LOCKED""";

    private final DataSource ds;
    private final Backoff backoff;
    private final Duration timeout;
    private final boolean allowLoopback;
    private final WebhookUrl.Resolver resolver;
    private final Listener listener;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService watchdog;
    private final HttpClient http;
    private final int maxInFlightPerWebhook;
    /** Deliveries being sent by this process, per webhook: a slow receiver holds only its own share of workers. */
    private final java.util.concurrent.ConcurrentHashMap<UUID, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookDeliverer(DataSource ds, Backoff backoff, Duration timeout, boolean allowLoopback,
                            WebhookUrl.Resolver resolver, Listener listener) {
        this(ds, backoff, timeout, allowLoopback, resolver, listener, WebhookSettings.DEFAULT_MAX_IN_FLIGHT_PER_WEBHOOK);
    }

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

    /** Claims, sends and records at most one delivery. */
    public Outcome deliverOne() throws SQLException, InterruptedException {
        Optional<Claimed> claimed = claim();
        if (claimed.isEmpty()) {
            return Outcome.NONE;
        }
        Claimed d = claimed.get();
        try {
            Result r = send(d);
            Outcome o = record(d, r);
            listener.outcome(o);
            return o;
        } finally {
            inFlight.computeIfPresent(d.webhookId(), (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Webhooks with as many deliveries in flight here as allowed. */
    private UUID[] busyWebhooks() {
        return inFlight.entrySet().stream().filter(e -> e.getValue() >= maxInFlightPerWebhook)
                .map(java.util.Map.Entry::getKey).toArray(UUID[]::new);
    }

    /** Status code (or -1) and a short error, never a header, a body or the secret. */
    record Result(int status, String error) {
    }

    /** One claim at a time in this process, so the per-webhook in-flight count is exact. */
    private synchronized Optional<Claimed> claim() throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Claimed d = null;
                try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    ps.setArray(1, c.createArrayOf("uuid", busyWebhooks()));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            Timestamp first = rs.getTimestamp(8);
                            d = new Claimed(rs.getLong(1), (UUID) rs.getObject(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getBytes(6), rs.getInt(7), first == null ? null : first.toInstant());
                        }
                    }
                }
                if (d == null) {
                    c.rollback();
                    return Optional.empty();
                }
                Instant now = Instant.now();
                // The lease: nobody else takes this row until the HTTP call must be over.
                Duration lease = timeout.multipliedBy(2).plusSeconds(30);
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE webhook_deliveries SET next_attempt_at = ?,
                               first_attempt_at = coalesce(first_attempt_at, ?) WHERE id = ?""")) {
                    ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setLong(3, d.id());
                    ps.executeUpdate();
                }
                c.commit();
                inFlight.merge(d.webhookId(), 1, Integer::sum);
                return Optional.of(new Claimed(d.id(), d.webhookId(), d.eventId(), d.url(), d.secret(), d.body(),
                        d.attempts(), d.firstAttemptAt() == null ? now : d.firstAttemptAt()));
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
        String error = r.error() != null ? r.error() : (r.status() >= 200 && r.status() < 300 ? null : "http " + r.status());
        try (Connection c = ds.getConnection()) {
            if (r.status() >= 200 && r.status() < 300) {
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
        watchdog.shutdownNow();
    }
}
