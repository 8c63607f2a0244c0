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
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link JobQueue} on SQS that packs the ids of concurrent sends into few messages and sends those
 * in one SendMessageBatch call.
 *
 * <p>One SQS call per request cannot reach the throughput target, and calls of ten one-id messages
 * are still too many: sending costs CPU per call (the SDK here, ElasticMQ locally), hardly per
 * message. So requests hand their job id to a small pool of sender threads; a sender takes what
 * is waiting (up to 10 &times; {@code max-ids-per-message} ids), splits it into at most 10 messages of at most {@code max-ids-per-message} ids
 * ({@link QueueMessage}) and sends them in one call. Each request waits for the message that carried
 * its id. With a single request in flight (a Lambda) the call is one message with one id, the
 * singular {@code {"jobId":"..."}} body, and nothing waits for a linger. Threads and the client are
 * created on first use, so class loading and context start do no network work.
 */
@Singleton
public class SqsJobQueue implements JobQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SqsJobQueue.class);
    /** Entries per SendMessageBatch call (the SQS limit). */
    static final int MAX_MESSAGES_PER_CALL = 10;

    private final QueueConfiguration config;
    private final SqsClientFactory clients;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private final int maxIdsPerMessage;
    private final int maxIdsPerCall;
    private volatile SqsClient client;
    private volatile List<Thread> senders = List.of();
    private volatile boolean running;
    private final Counter batches;
    private final Counter messages;
    private final Counter jobIds;

    public SqsJobQueue(QueueConfiguration config, SqsClientFactory clients, MeterRegistry meters) {
        this.config = config;
        this.clients = clients;
        this.maxIdsPerMessage = config.maxIdsPerMessage();
        this.maxIdsPerCall = MAX_MESSAGES_PER_CALL * maxIdsPerMessage;
        this.batches = meters.counter("raregen.queue.send.batches");
        this.messages = meters.counter("raregen.queue.send.messages");
        this.jobIds = meters.counter("raregen.queue.send.ids");
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
    public int unsent() {
        return pending.size();
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
        List<Pending> batch = new ArrayList<>(Math.min(maxIdsPerCall, 256));
        while (running) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, maxIdsPerCall - 1);
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
        while (batch.size() < maxIdsPerCall) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            pending.drainTo(batch, maxIdsPerCall - batch.size());
        }
    }

    /**
     * Splits {@code batch} into messages of at most {@code maxIdsPerMessage} ids, in order. Every job is
     * enqueued once, right after the insert that created it, so the ids of a batch are distinct.
     */
    static List<List<Pending>> pack(List<Pending> batch, int maxIdsPerMessage) {
        List<List<Pending>> out = new ArrayList<>((batch.size() + maxIdsPerMessage - 1) / maxIdsPerMessage);
        for (int from = 0; from < batch.size(); from += maxIdsPerMessage) {
            out.add(batch.subList(from, Math.min(batch.size(), from + maxIdsPerMessage)));
        }
        return out;
    }

    private void send(List<Pending> batch) {
        List<List<Pending>> packed = pack(batch, maxIdsPerMessage);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(packed.size());
        for (int i = 0; i < packed.size(); i++) {
            entries.add(entry(Integer.toString(i), packed.get(i).stream().map(Pending::jobId).toList()));
        }
        batches.increment();
        SendMessageBatchResponse response;
        try {
            response = client().sendMessageBatch(SendMessageBatchRequest.builder()
                    .queueUrl(config.url())
                    .entries(entries)
                    .build());
        } catch (RuntimeException e) {
            LOG.warn("SendMessageBatch of {} messages ({} job ids) failed: {}", packed.size(), batch.size(), e.toString());
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        Map<Integer, RuntimeException> refused = new HashMap<>();
        for (BatchResultErrorEntry failed : response.failed()) {
            LOG.warn("SQS refused a message of {} job ids: {} {}", packed.get(Integer.parseInt(failed.id())).size(),
                    failed.code(), failed.message());
            refused.put(Integer.parseInt(failed.id()),
                    new IllegalStateException("SQS refused the message: " + failed.code() + " " + failed.message()));
        }
        Set<Integer> accepted = new HashSet<>();
        int acceptedIds = 0;
        for (SendMessageBatchResultEntry ok : response.successful()) {
            int i = Integer.parseInt(ok.id());
            accepted.add(i);
            acceptedIds += packed.get(i).size();
        }
        // counted as sent only once SQS accepted them, and before any request hears the outcome
        messages.increment(accepted.size());
        jobIds.increment(acceptedIds);
        for (int i = 0; i < packed.size(); i++) {
            // SQS answers every entry; should it not, fail rather than leave the requests to time out
            RuntimeException why = accepted.contains(i) ? null
                    : refused.getOrDefault(i, new IllegalStateException("SQS returned no result for the message"));
            for (Pending p : packed.get(i)) {
                if (why == null) {
                    p.result().complete(null);
                } else {
                    p.result().completeExceptionally(why);
                }
            }
        }
    }

    /** The batch entry for one message carrying {@code ids}; a test overrides it to make SQS refuse one. */
    SendMessageBatchRequestEntry entry(String entryId, List<JobId> ids) {
        return SendMessageBatchRequestEntry.builder()
                .id(entryId)
                .messageBody(QueueMessage.body(ids))
                .build();
    }

    /**
     * Stops the senders, sends what is still waiting (requests may have been answered before their send, see
     * {@link QueueConfiguration#awaitSend()}), and closes the client (CRaC checkpoint, shutdown); the next send
     * restarts them.
     */
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
            if (!left.isEmpty() && client != null) {
                // one last round; what fails here is still in the database, and the reconciler delivers it
                for (int from = 0; from < left.size(); from += maxIdsPerCall) {
                    send(left.subList(from, Math.min(left.size(), from + maxIdsPerCall)));
                }
            }
            left.forEach(p -> p.result().completeExceptionally(new IllegalStateException("queue sender stopped")));
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    record Pending(JobId jobId, CompletableFuture<Void> result) {
    }
}
