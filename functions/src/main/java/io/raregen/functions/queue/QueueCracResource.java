package io.raregen.functions.queue;

import io.micronaut.context.annotation.Requires;
import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

/**
 * Closes the SQS client and its sender threads before a SnapStart/CRaC snapshot so no socket
 * is frozen into it; they are recreated on the first send after restore. (The Hikari pool is
 * handled by micronaut-crac's own data source resource.)
 */
@Singleton
@Requires(classes = OrderedResource.class)
public class QueueCracResource implements OrderedResource {

    private final SqsJobQueue queue;

    public QueueCracResource(SqsJobQueue queue) {
        this.queue = queue;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        queue.suspend();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // lazily recreated by the next enqueue
    }
}
