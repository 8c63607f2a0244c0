package io.raregen.functions.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.core.types.JobId;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link JobQueue} on SQS that coalesces concurrent sends into SendMessageBatch calls of up to 10.
 *
 * <p>One SQS call per request cannot reach the throughput target, so requests hand their message
 * to a small pool of sender threads and wait for the batch that carried it. With a single request
 * in flight (a Lambda) the batch is that one message and nothing waits for a linger. Threads and
 * the client are created on first use, so class loading and context start do no network work.
 */
@Singleton
public class SqsJobQueue implements JobQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SqsJobQueue.class);
    private static final int MAX_BATCH = 10;

    private final QueueConfiguration config;
    private final SqsClientFactory clients;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private volatile SqsClient client;
    private volatile List<Thread> senders = List.of();
    private volatile boolean running;
    private final Counter batches;
    private final Counter messages;

    public SqsJobQueue(QueueConfiguration config, SqsClientFactory clients, MeterRegistry meters) {
        this.config = config;
        this.clients = clients;
        this.batches = meters.counter("raregen.queue.send.batches");
        this.messages = meters.counter("raregen.queue.send.messages");
    }

    @Override
    public CompletableFuture<Void> enqueue(JobId jobId) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (config.url() == null || config.url().isBlank()) {
            result.completeExceptionally(new IllegalStateException("raregen.queue.url is not set"));
            return result;
        }
        ensureStarted();
        pending.add(new Pending(jobId, result));
        return result;
    }

    @Override
    public boolean isReachable() {
        if (config.url() == null || config.url().isBlank()) {
            return false;
        }
        try {
            client().getQueueAttributes(GetQueueAttributesRequest.builder()
                    .queueUrl(config.url())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                    .build());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("queue {} unreachable: {}", config.url(), e.toString());
            return false;
        }
    }

    private SqsClient client() {
        SqsClient c = client;
        if (c == null) {
            synchronized (lifecycle) {
                if (client == null) {
                    client = clients.create();
                }
                c = client;
            }
        }
        return c;
    }

    private void ensureStarted() {
        if (running) {
            return;
        }
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < Math.max(1, config.senderThreads()); i++) {
                Thread t = new Thread(this::sendLoop, "sqs-sender-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            running = true;
            senders = threads;
            threads.forEach(Thread::start);
        }
    }

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                lingerForMore(batch);
                send(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // send() completes every future itself; this only guards the loop
                LOG.error("sender loop error", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void lingerForMore(List<Pending> batch) throws InterruptedException {
        long lingerNanos = config.batchLinger().toNanos();
        if (lingerNanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < MAX_BATCH) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            pending.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void send(List<Pending> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(QueueMessage.body(batch.get(i).jobId()))
                    .build());
        }
        batches.increment();
        SendMessageBatchResponse response;
        try {
            response = client().sendMessageBatch(SendMessageBatchRequest.builder()
                    .queueUrl(config.url())
                    .entries(entries)
                    .build());
        } catch (RuntimeException e) {
            LOG.warn("SendMessageBatch of {} messages failed: {}", batch.size(), e.toString());
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            Pending p = batch.get(Integer.parseInt(failed.id()));
            p.result().completeExceptionally(new IllegalStateException(
                    "SQS refused the message: " + failed.code() + " " + failed.message()));
        }
        // counted as sent only once SQS accepted them
        messages.increment(response.successful().size());
        response.successful().forEach(ok -> batch.get(Integer.parseInt(ok.id())).result().complete(null));
    }

    /** Stops the senders and closes the client (CRaC checkpoint, shutdown); the next send restarts them. */
    @PreDestroy
    public void suspend() {
        synchronized (lifecycle) {
            running = false;
            senders.forEach(Thread::interrupt);
            for (Thread t : senders) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            senders = List.of();
            List<Pending> left = new ArrayList<>();
            pending.drainTo(left);
            left.forEach(p -> p.result().completeExceptionally(new IllegalStateException("queue sender stopped")));
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    private record Pending(JobId jobId, CompletableFuture<Void> result) {
    }
}
