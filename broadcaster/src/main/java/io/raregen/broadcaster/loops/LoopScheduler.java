package io.raregen.broadcaster.loops;

import io.raregen.broadcaster.health.Heartbeats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs every loop on its own fixed delay and beats its heartbeat after each round, failed or not. */
public final class LoopScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopScheduler.class);

    private final ScheduledExecutorService executor;
    private final Heartbeats heartbeats;

    public LoopScheduler(Heartbeats heartbeats, int threads) {
        this.heartbeats = heartbeats;
        this.executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "loops");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(List<Loop> loops) {
        for (Loop loop : loops) {
            heartbeats.register(loop.name(), loop.heartbeatInterval());
            long ms = Math.max(10, loop.interval().toMillis());
            long first = Math.max(10, loop.initialDelay().toMillis());
            executor.scheduleWithFixedDelay(() -> runGuarded(loop), first, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void runGuarded(Loop loop) {
        try {
            int n = loop.runOnce();
            if (n > 0) {
                LOG.info("loop {} handled {}", loop.name(), n);
            }
            heartbeats.beat(loop.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("loop {} failed: {}", loop.name(), e.toString());
        }
    }

    /** {@link #close()} for a shutdown hook: an interrupt is kept for the caller and logged, not thrown. */
    public void stop() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("shutdown interrupted");
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
