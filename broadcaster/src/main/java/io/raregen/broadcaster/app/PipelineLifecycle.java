package io.raregen.broadcaster.app;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the pipeline once the context (and Flyway) is up; stops it gracefully on shutdown. */
@Singleton
public class PipelineLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineLifecycle.class);
    private final PublishPipeline pipeline;

    public PipelineLifecycle(PublishPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        pipeline.start();
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        try {
            pipeline.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("shutdown interrupted");
        }
    }
}
