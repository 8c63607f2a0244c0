package io.raregen.broadcaster.receive;

import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.core.types.JobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One long-poll loop: receives up to 10 messages at a time and hands their job ids (one or
 * several per message) to the collector (blocking when the collector is full: backpressure instead of an unbounded heap).
 * Poison messages are deleted at once and counted. While {@code hold} says so (the collector is
 * claiming a backlog straight from Postgres) it does not receive: the messages stay in the queue
 * and are taken, cheaply, once the backlog is gone.
 */
public final class SqsReceiver implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsReceiver.class);
    private static final long HOLD_POLL_MS = 50;

    private final String name;
    private final SqsClient sqs;
    private final String queueUrl;
    private final int waitSeconds;
    private final int maxMessages;
    private final Consumer<Incoming> sink;
    private final MessageAcker acker;
    private final PipelineMetrics metrics;
    private final Heartbeats heartbeats;
    private final BooleanSupplier hold;
    private volatile boolean running = true;

    public SqsReceiver(String name, SqsClient sqs, String queueUrl, int waitSeconds, int maxMessages, Consumer<Incoming> sink,
                       MessageAcker acker, PipelineMetrics metrics, Heartbeats heartbeats, BooleanSupplier hold) {
        this.name = name;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.waitSeconds = waitSeconds;
        this.maxMessages = maxMessages;
        this.sink = sink;
        this.acker = acker;
        this.metrics = metrics;
        this.heartbeats = heartbeats;
        this.hold = hold;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        heartbeats.register(name, java.time.Duration.ofSeconds(waitSeconds + 5));
        long backoffMs = 200;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (hold.getAsBoolean()) {
                    heartbeats.beat(name);
                    Thread.sleep(HOLD_POLL_MS);
                    continue;
                }
                List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                        .queueUrl(queueUrl).waitTimeSeconds(waitSeconds).maxNumberOfMessages(maxMessages).build()).messages();
                heartbeats.beat(name);
                backoffMs = 200;
                List<String> poison = new ArrayList<>();
                for (Message m : messages) {
                    // an id that is not a valid JobId makes the whole message poison, like any other unparseable body
                    Optional<List<JobId>> ids = QueueMessages.jobIds(m.body());
                    if (ids.isEmpty()) {
                        poison.add(m.receiptHandle());
                        continue;
                    }
                    // one delivery for all the jobs the message names: deleted when the last is claimed
                    Delivery delivery = new Delivery(m.receiptHandle(), ids.get().size());
                    for (JobId id : ids.get()) {
                        if (!running) {
                            // stopping: leave the message to come back after its visibility timeout
                            break;
                        }
                        sink.accept(new Incoming(id, delivery));
                    }
                }
                if (!poison.isEmpty()) {
                    LOG.warn("deleting {} unparseable queue messages", poison.size());
                    metrics.poison(poison.size());
                    acker.ack(poison);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("SQS receive failed ({}); retrying in {} ms", e.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                backoffMs = Math.min(10_000, backoffMs * 2);
            }
        }
    }
}
