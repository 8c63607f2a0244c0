package io.raregen.broadcaster.anchor;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.loops.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Resends stored anchor transactions the network has not accepted (the window's send failed, timed out, or its
 * instance died between storing and sending) with their stored bytes, never re-signed; and asks about sent ones
 * until they are mined. The anchor counterpart of the record path's rescuer and confirmation tracker.
 */
public final class AnchorRescue implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorRescue.class);

    private final AnchorStore store;
    private final TransactionBroadcaster broadcaster;
    private final RateLimiter limiter;
    private final AnchorResults results;
    private final AnchorSettings settings;
    private final byte[] poolScript;
    private final Duration interval;
    private long lastConfirmationRound;

    public AnchorRescue(AnchorStore store, TransactionBroadcaster broadcaster, RateLimiter limiter, AnchorResults results,
                        AnchorSettings settings, byte[] poolScript) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.limiter = limiter;
        this.results = results;
        this.settings = settings;
        this.poolScript = poolScript.clone();
        Duration third = settings.getRebroadcastAfter().dividedBy(3);
        Duration confirm = settings.getConfirmationInterval();
        this.interval = third.compareTo(confirm) < 0 ? third : confirm;
        // the first round asks at once (nanoTime may be negative: no zero start)
        this.lastConfirmationRound = System.nanoTime() - confirm.toNanos();
    }

    @Override
    public String name() {
        return "anchor-rescue";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() throws InterruptedException {
        int n = 0;
        for (AnchorStore.StoredAnchor a : store.takeUnsent(settings.getRebroadcastAfter(), settings.getRecoveryLimit(), poolScript)) {
            LOG.warn("anchor batch {}: re-broadcasting its stored transaction {}", a.batchId(), a.tx().txid());
            limiter.acquire(1);
            List<BroadcastResult> r = broadcaster.broadcast(List.of(a.tx()));
            results.apply(a.batchId(), a.tx(), r.isEmpty() ? null : r.get(0));
            n++;
        }
        long now = System.nanoTime();
        if (now - lastConfirmationRound >= settings.getConfirmationInterval().toNanos()) {
            lastConfirmationRound = now;
            for (AnchorStore.SentAnchor a : store.takeUnconfirmed(settings.getConfirmationMinAge(), settings.getRecoveryLimit())) {
                BroadcastResult r = broadcaster.status(a.txid());
                if (r.outcome() == BroadcastResult.Outcome.MINED && results.recordMined(a.batchId(), a.txid(), r).verified()) {
                    n++;
                }
            }
        }
        return n;
    }
}
