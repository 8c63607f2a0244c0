package io.raregen.broadcaster.providers;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.NetworkStatus;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One door to the network: an ARC client, its circuit breaker (closed / open / half-open, from its
 * recent calls), its own rate budget and its meters ({@code raregen_arc_provider_*{provider}}).
 * A call fails, for the breaker, when the provider did not answer: a transport error, a timeout,
 * a 5xx, a 401/403. Rejections are answers: they count as successes.
 */
public final class Provider {
    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);

    /** Breaker states as the gauge reports them. */
    public static final int CLOSED = 0;
    public static final int HALF_OPEN = 1;
    public static final int OPEN = 2;

    private final String name;
    private final int priority;
    private final TransactionBroadcaster client;
    private final RateLimiter budget;
    private final CircuitBreaker breaker;
    private final Timer broadcastLatency;
    private final Timer statusLatency;
    private final MeterRegistry registry;

    public Provider(ProviderSettings settings, TransactionBroadcaster client, RateLimiter budget, MeterRegistry registry) {
        this.name = settings.getName();
        this.priority = settings.getPriority();
        this.client = client;
        this.budget = budget;
        this.registry = registry;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(1, settings.getBreakerWindow()))
                .minimumNumberOfCalls(Math.max(1, settings.getBreakerMinimumCalls()))
                .failureRateThreshold(settings.getBreakerFailureRate())
                .waitDurationInOpenState(settings.getBreakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(Math.max(1, settings.getBreakerTrialCalls()))
                .build());
        breaker.getEventPublisher().onStateTransition(e ->
                LOG.warn("provider {}: breaker {}", name, e.getStateTransition()));
        this.broadcastLatency = latency(registry, "broadcast");
        this.statusLatency = latency(registry, "status");
        Gauge.builder("raregen.arc.provider.breaker", this, Provider::breakerState).tag("provider", name)
                .description("0 closed, 1 half-open, 2 open").register(registry);
    }

    private Timer latency(MeterRegistry registry, String call) {
        return Timer.builder("raregen.arc.provider.latency").tag("provider", name).tag("call", call)
                .description("time for one request to this provider").register(registry);
    }

    public String name() {
        return name;
    }

    int priority() {
        return priority;
    }

    /** 0 closed, 1 half-open, 2 open (the gauge's values). */
    public int breakerState() {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> CLOSED;
            case HALF_OPEN -> HALF_OPEN;
            default -> OPEN;
        };
    }

    /** Whether the breaker is not open (the "providers available" gauge counts these). */
    boolean available() {
        return breaker.getState() != CircuitBreaker.State.OPEN;
    }

    /**
     * Sends the first {@code txs} this provider's budget grants, if the breaker lets a call through;
     * null when it does not (the provider is out), empty when the budget has no token now.
     * Transactions beyond the grant are absent from the answer. The breaker learns from the answer.
     */
    List<BroadcastResult> broadcast(List<SignedTransaction> txs) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        int granted = budget.tryAcquire(txs.size());
        if (granted == 0) {
            breaker.releasePermission();
            return List.of();
        }
        long t0 = System.nanoTime();
        List<BroadcastResult> results = client.broadcast(granted == txs.size() ? txs : txs.subList(0, granted));
        record(broadcastLatency, t0, results.stream().allMatch(Provider::noAnswer) && !results.isEmpty(), results);
        return results;
    }

    /** How many of {@code txs} this provider's client sends in its first request. */
    int firstRequestSize(List<SignedTransaction> txs) {
        return client.firstRequestSize(txs);
    }

    /** The provider's view of one txid; null when the breaker keeps it out. */
    BroadcastResult status(Txid txid) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        long t0 = System.nanoTime();
        BroadcastResult r = client.status(txid);
        record(statusLatency, t0, noAnswer(r), List.of(r));
        return r;
    }

    private void record(Timer latency, long t0, boolean failed, List<BroadcastResult> results) {
        long nanos = System.nanoTime() - t0;
        latency.record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            String code = results.get(0).errorCode();
            Counter.builder("raregen.arc.provider.errors").tag("provider", name).tag("code", code == null ? "none" : code)
                    .register(registry).increment();
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new ProviderDown(code));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The provider did not answer for this transaction (as opposed to answering "unknown" or rejecting). */
    static boolean noAnswer(BroadcastResult r) {
        if (r.outcome() != Outcome.UNKNOWN || NetworkStatus.isNotFound(r)) {
            return false;
        }
        String code = r.errorCode();
        return code != null && (code.equals("TRANSPORT") || code.startsWith("HTTP_5") || code.equals("HTTP_401")
                || code.equals("HTTP_403") || code.equals("HTTP_429"));
    }

    /** What the breaker was told when a call failed. */
    static final class ProviderDown extends RuntimeException {
        ProviderDown(String code) {
            super("provider did not answer: " + code, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "Provider[" + name + "]";
    }
}
