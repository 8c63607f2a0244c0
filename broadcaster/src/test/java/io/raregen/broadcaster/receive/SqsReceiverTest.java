package io.raregen.broadcaster.receive;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Ulid;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receiver against a real SQS-compatible server (ElasticMQ in this JVM). */
class SqsReceiverTest {

    @Test
    void whileHeld_receivesNothing_andTakesEveryMessageOnceReleased() throws Exception {
        try (LocalSqs sqs = new LocalSqs()) {
            String queue = sqs.createQueue();
            MessageAcker acker = new MessageAcker(sqs.client, queue, 1);
            List<String> jobIds = List.of(Ulid.generate(), Ulid.generate(), Ulid.generate(), Ulid.generate(), Ulid.generate());
            sqs.sendJobIds(queue, jobIds);
            AtomicBoolean held = new AtomicBoolean(true);
            AtomicInteger holdChecks = new AtomicInteger();
            LinkedBlockingQueue<Incoming> received = new LinkedBlockingQueue<>();
            SqsReceiver r = new SqsReceiver("receiver-test", sqs.client, queue, 1, 10, received::add, acker,
                    new PipelineMetrics(new SimpleMeterRegistry()), new Heartbeats(), () -> {
                        holdChecks.incrementAndGet();
                        return held.get();
                    });
            Thread t = new Thread(r);
            t.start();
            try {
                // the receiver has looked at the hold several times and not received in between
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (holdChecks.get() < 5 && System.nanoTime() < giveUp) {
                    Thread.sleep(10);
                }
                assertTrue(holdChecks.get() >= 5, "the receiver consults the hold before every receive");
                assertTrue(received.isEmpty(), "nothing handed on while held");
                assertEquals(5, sqs.depth(queue), "the messages stay in the queue");
                assertEquals(0, inFlight(sqs, queue), "none was received (in flight) while held");

                held.set(false);
                Set<String> ids = new TreeSet<>();
                while (ids.size() < 5) {
                    Incoming i = received.poll(10, TimeUnit.SECONDS);
                    assertNotNull(i, "every message arrives once the hold is lifted; got " + ids);
                    assertNotNull(i.delivery());
                    ids.add(i.jobId().value());
                }
                assertEquals(new TreeSet<>(jobIds), ids);
            } finally {
                r.stop();
                t.join(5_000);
                acker.close();
            }
        }
    }

    @Test
    void aMessageNamingSeveralJobs_handsOnEachJobOnce_withOneSharedDelivery() throws Exception {
        try (LocalSqs sqs = new LocalSqs()) {
            String queue = sqs.createQueue();
            MessageAcker acker = new MessageAcker(sqs.client, queue, 1);
            List<JobId> jobIds = List.of(JobId.generate(), JobId.generate(), JobId.generate());
            List<JobId> repeated = new java.util.ArrayList<>(jobIds);
            repeated.add(jobIds.get(0)); // a repeated id is one job
            sqs.sendBodies(queue, List.of(QueueMessages.body(repeated)));
            LinkedBlockingQueue<Incoming> received = new LinkedBlockingQueue<>();
            SqsReceiver r = new SqsReceiver("receiver-test", sqs.client, queue, 1, 10, received::add, acker,
                    new PipelineMetrics(new SimpleMeterRegistry()), new Heartbeats(), () -> false);
            Thread t = new Thread(r);
            t.start();
            try {
                List<Incoming> got = new java.util.ArrayList<>();
                while (got.size() < 3) {
                    Incoming i = received.poll(10, TimeUnit.SECONDS);
                    assertNotNull(i, "all three jobs arrive; got " + got);
                    got.add(i);
                }
                assertEquals(jobIds, got.stream().map(Incoming::jobId).toList());
                Delivery d = got.get(0).delivery();
                assertTrue(got.stream().allMatch(i -> i.delivery() == d), "one delivery for the message");
                // deletable only when the last of its three jobs is settled
                assertEquals(List.of(false, false, true), List.of(d.settle(), d.settle(), d.settle()));
            } finally {
                r.stop();
                t.join(5_000);
                acker.close();
            }
        }
    }

    @Test
    void aMessageNamingAnIdThatIsNoJobId_isPoison_deletedAndCounted_andTheOthersPass() throws Exception {
        try (LocalSqs sqs = new LocalSqs()) {
            String queue = sqs.createQueue();
            MessageAcker acker = new MessageAcker(sqs.client, queue, 1);
            JobId good = JobId.generate();
            String lower = JobId.generate().value().toLowerCase(java.util.Locale.ROOT);
            sqs.sendBodies(queue, List.of("{\"jobId\":\"" + lower + "\"}",
                    "{\"jobIds\":[\"" + JobId.generate() + "\",\"JOB0\"]}", QueueMessages.body(good)));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            LinkedBlockingQueue<Incoming> received = new LinkedBlockingQueue<>();
            SqsReceiver r = new SqsReceiver("receiver-test", sqs.client, queue, 1, 10, received::add, acker,
                    new PipelineMetrics(registry), new Heartbeats(), () -> false);
            Thread t = new Thread(r);
            t.start();
            try {
                Incoming i = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(i, "the valid message arrives");
                assertEquals(good, i.jobId());
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (registry.get("raregen.poison.messages").counter().count() < 2 && System.nanoTime() < giveUp) {
                    Thread.sleep(20);
                }
                assertEquals(2.0, registry.get("raregen.poison.messages").counter().count(), "both bad messages counted");
                while (sqs.depth(queue) > 1 && System.nanoTime() < giveUp) {
                    Thread.sleep(20);
                }
                assertEquals(1, sqs.depth(queue), "the poison is deleted; only the valid message (not yet settled) is left");
                assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "nothing of the poison is handed on");
            } finally {
                r.stop();
                t.join(5_000);
                acker.close();
            }
        }
    }

    private static long inFlight(LocalSqs sqs, String queue) {
        return Long.parseLong(sqs.client.getQueueAttributes(b -> b.queueUrl(queue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
