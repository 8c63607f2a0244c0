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
import java.util.List;
import java.util.Map;
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
     * Splits {@code batch} into messages of at most {@code maxIdsPerMessage} distinct ids, in order.
     * A job id handed in twice travels once: the later request's future follows the first one's.
     */
    static List<List<Pending>> pack(List<Pending> batch, int maxIdsPerMessage) {
        List<Pending> distinct = batch;
        if (batch.size() > 1) {
            Map<JobId, Pending> carriers = new HashMap<>(batch.size() * 2);
            for (Pending p : batch) {
                Pending carrier = carriers.putIfAbsent(p.jobId(), p);
                if (carrier != null) {
                    if (distinct == batch) {
                        distinct = new ArrayList<>(batch.subList(0, batch.indexOf(p)));
                    }
                    carrier.result().whenComplete((ok, failure) -> {
                        if (failure == null) {
                            p.result().complete(null);
                        } else {
                            p.result().completeExceptionally(failure);
                        }
                    });
                } else if (distinct != batch) {
                    distinct.add(p);
                }
            }
        }
        List<List<Pending>> out = new ArrayList<>((distinct.size() + maxIdsPerMessage - 1) / maxIdsPerMessage);
        for (int from = 0; from < distinct.size(); from += maxIdsPerMessage) {
            out.add(distinct.subList(from, Math.min(distinct.size(), from + maxIdsPerMessage)));
        }
        return out;
    }

    private void send(List<Pending> batch) {
        List<List<Pending>> packed = pack(batch, maxIdsPerMessage);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(packed.size());
        int ids = 0;
        for (int i = 0; i < packed.size(); i++) {
            List<Pending> message = packed.get(i);
            List<JobId> carried = new ArrayList<>(message.size());
            for (Pending p : message) {
                carried.add(p.jobId());
            }
            ids += carried.size();
            entries.add(entry(Integer.toString(i), carried));
        }
        batches.increment();
        SendMessageBatchResponse response;
        try {
            response = client().sendMessageBatch(SendMessageBatchRequest.builder()
                    .queueUrl(config.url())
                    .entries(entries)
                    .build());
        } catch (RuntimeException e) {
            LOG.warn("SendMessageBatch of {} messages ({} job ids) failed: {}", packed.size(), ids, e.toString());
            packed.forEach(message -> message.forEach(p -> p.result().completeExceptionally(e)));
            return;
        }
        List<Pending> refused = new ArrayList<>();
        List<RuntimeException> refusals = new ArrayList<>();
        boolean[] answered = new boolean[packed.size()];
        for (BatchResultErrorEntry failed : response.failed()) {
            int i = Integer.parseInt(failed.id());
            answered[i] = true;
            List<Pending> message = packed.get(i);
            LOG.warn("SQS refused a message of {} job ids: {} {}", message.size(), failed.code(), failed.message());
            RuntimeException why = new IllegalStateException("SQS refused the message: " + failed.code() + " " + failed.message());
            for (Pending p : message) {
                refused.add(p);
                refusals.add(why);
            }
        }
        List<Pending> accepted = new ArrayList<>(ids);
        for (SendMessageBatchResultEntry ok : response.successful()) {
            int i = Integer.parseInt(ok.id());
            answered[i] = true;
            accepted.addAll(packed.get(i));
        }
        for (int i = 0; i < answered.length; i++) {
            if (!answered[i]) {
                // SQS answers every entry; should it not, fail rather than leave the requests to time out
                RuntimeException why = new IllegalStateException("SQS returned no result for the message");
                for (Pending p : packed.get(i)) {
                    refused.add(p);
                    refusals.add(why);
                }
            }
        }
        // counted as sent only once SQS accepted them, and before any request hears the outcome
        messages.increment(response.successful().size());
        jobIds.increment(accepted.size());
        for (int i = 0; i < refused.size(); i++) {
            refused.get(i).result().completeExceptionally(refusals.get(i));
        }
        accepted.forEach(p -> p.result().complete(null));
    }

    /** The batch entry for one message carrying {@code ids}; a test overrides it to make SQS refuse one. */
    SendMessageBatchRequestEntry entry(String entryId, List<JobId> ids) {
        return SendMessageBatchRequestEntry.builder()
                .id(entryId)
                .messageBody(QueueMessage.body(ids))
                .build();
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

    record Pending(JobId jobId, CompletableFuture<Void> result) {
    }
}
