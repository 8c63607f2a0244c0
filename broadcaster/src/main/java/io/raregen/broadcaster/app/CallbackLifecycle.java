package io.raregen.broadcaster.app;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.raregen.broadcaster.callbacks.CallbackApplier;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.loops.LoopScheduler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Runs the ARC callback loop on its own scheduler, whatever {@code raregen.recovery.enabled} says:
 * it is cheap when nothing is pending, and its heartbeat shows on /health as {@code arc-callbacks}.
 */
@Singleton
public class CallbackLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackLifecycle.class);
    private final CallbackApplier applier;
    private final LoopScheduler scheduler;

    public CallbackLifecycle(CallbackApplier applier, Heartbeats heartbeats) {
        this.applier = applier;
        this.scheduler = new LoopScheduler(heartbeats, 1);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        scheduler.start(List.of(applier));
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        try {
            scheduler.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("shutdown interrupted");
        }
    }
}
