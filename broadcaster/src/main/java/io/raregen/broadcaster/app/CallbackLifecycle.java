package io.raregen.broadcaster.app;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.raregen.broadcaster.callbacks.CallbackApplier;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.loops.LoopScheduler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Runs the ARC callback loop on its own scheduler, whatever {@code raregen.recovery.enabled} says:
 * it is cheap when nothing is pending, and its heartbeat shows on /health as {@code arc-callbacks}.
 */
@Singleton
public class CallbackLifecycle {
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
        scheduler.stop();
    }
}
