package io.raregen.functions.queue;

import io.raregen.core.types.JobId;

import java.util.List;

/** Told which jobs the queue accepted, once per batch, before their senders are released. */
public interface EnqueueListener {

    void enqueued(List<JobId> jobIds);
}
