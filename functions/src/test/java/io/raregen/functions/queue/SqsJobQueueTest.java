package io.raregen.functions.queue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.core.types.JobId;
import io.raregen.functions.aws.AwsConfiguration;
import io.raregen.functions.support.ElasticMq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqsJobQueue} against a real in-process ElasticMQ: packing, the two body forms, and which
 * requests hear of a failure.
 *
 * <p>Most tests use one sender and a linger far longer than the test, so that a sender sends only
 * once it holds a full call (10 &times; max-ids-per-message ids): what goes into which call is then
 * decided by the code, not by thread timing.
 */
class SqsJobQueueTest {

    private static final Duration WAIT_FOR_FULL_CALL = Duration.ofMinutes(5);

    private final List<SqsJobQueue> started = new ArrayList<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stopSenders() {
        started.forEach(SqsJobQueue::suspend);
    }

    private QueueConfiguration config(String url, int senders, Duration linger, int maxIds) {
        return new QueueConfiguration(url, senders, linger, Duration.ofSeconds(3), maxIds, true, 10_000);
    }

    private SqsClientFactory clients() {
        return new SqsClientFactory(new AwsConfiguration(ElasticMq.endpoint(), "us-east-1", null, null));
    }

    private SqsJobQueue queue(QueueConfiguration config) {
        SqsJobQueue q = new SqsJobQueue(config, clients(), meters);
        started.add(q);
        return q;
    }

    private static List<JobId> newIds(int n) {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(JobId.generate());
        }
        return ids;
    }

    /** Enqueues every id from {@code threads} threads released together; the futures in the order of {@code ids}. */
    private static List<CompletableFuture<Void>> enqueueConcurrently(JobQueue queue, List<JobId> ids, int threads)
            throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            futures.add(null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int first = t;
                submitted.add(pool.submit(() -> {
                    gate.await();
                    for (int i = first; i < ids.size(); i += threads) {
                        CompletableFuture<Void> f = queue.enqueue(ids.get(i));
                        synchronized (futures) {
                            futures.set(i, f);
                        }
                    }
                    return null;
                }));
            }
            gate.countDown();
            for (java.util.concurrent.Future<?> s : submitted) {
                s.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        synchronized (futures) {
            return new ArrayList<>(futures);
        }
    }

    private static boolean succeeded(CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the queue never answered this request", e);
        }
    }

    private static void assertAllSucceeded(List<CompletableFuture<Void>> futures) throws InterruptedException {
        for (CompletableFuture<Void> f : futures) {
            assertTrue(succeeded(f));
        }
    }

    private static Set<String> values(List<JobId> ids) {
        Set<String> s = new HashSet<>();
        ids.forEach(id -> s.add(id.value()));
        return s;
    }

    private double count(String name) {
        return meters.counter(name).count();
    }

    @Test
    void concurrentEnqueues_arePackedIntoFullMessages_oneCall_eachIdExactlyOnce() throws Exception {
        // GIVEN one sender that waits for a full call of 10 messages x 5 ids
        String url = ElasticMq.createQueue("packed");
        SqsJobQueue queue = queue(config(url, 1, WAIT_FOR_FULL_CALL, 5));
        List<JobId> ids = newIds(50);

        // WHEN 50 jobs are enqueued from 10 threads at once
        List<CompletableFuture<Void>> futures = enqueueConcurrently(queue, ids, 10);

        // THEN every request hears success, and the queue holds 10 plural messages of 5 ids: each id once
        assertAllSucceeded(futures);
        List<String> bodies = ElasticMq.drain(url);
        assertEquals(10, bodies.size(), bodies.toString());
        for (String body : bodies) {
            assertEquals(5, QueueBodies.jobIds(body).size(), body);
        }
        List<String> sent = QueueBodies.jobIds(bodies);
        assertEquals(50, sent.size());
        assertEquals(values(ids), new HashSet<>(sent));
        assertEquals(1, count("raregen.queue.send.batches"));
        assertEquals(10, count("raregen.queue.send.messages"));
        assertEquals(50, count("raregen.queue.send.ids"));
    }

    @Test
    void defaultSettings_manyConcurrentEnqueues_everyIdArrivesOnce_inFewerMessagesThanIds() throws Exception {
        // GIVEN the Netty host's settings: 1 sender, 5 ms linger, up to 50 ids per message (and a second sender)
        String url = ElasticMq.createQueue("default");
        SqsJobQueue queue = queue(config(url, 2, Duration.ofMillis(5), 50));
        List<JobId> ids = newIds(600);

        // WHEN 600 jobs are enqueued from 16 threads at once
        List<CompletableFuture<Void>> futures = enqueueConcurrently(queue, ids, 16);

        // THEN all are accepted, every id is in exactly one body of the contract, and ids were packed
        assertAllSucceeded(futures);
        List<String> bodies = ElasticMq.drain(url);
        List<String> sent = QueueBodies.jobIds(bodies);
        assertEquals(600, sent.size(), "no id twice");
        assertEquals(values(ids), new HashSet<>(sent));
        assertTrue(bodies.size() < ids.size(), bodies.size() + " messages for " + ids.size() + " ids");
        assertTrue(bodies.stream().allMatch(b -> QueueBodies.jobIds(b).size() <= 50));
        assertEquals(bodies.size(), count("raregen.queue.send.messages"));
        assertEquals(600, count("raregen.queue.send.ids"));
    }

    @Test
    void maxIdsPerMessageOne_sendsOnlySingularBodies() throws Exception {
        // GIVEN the Lambda host's limit of one id per message, and a sender waiting for a full call
        String url = ElasticMq.createQueue("single");
        SqsJobQueue queue = queue(config(url, 1, WAIT_FOR_FULL_CALL, 1));
        List<JobId> ids = newIds(10);

        // WHEN 10 jobs are enqueued at once
        List<CompletableFuture<Void>> futures = enqueueConcurrently(queue, ids, 5);

        // THEN one call of 10 messages, each exactly {"jobId":"..."}
        assertAllSucceeded(futures);
        List<String> bodies = ElasticMq.drain(url);
        assertEquals(10, bodies.size());
        Set<String> expected = new HashSet<>();
        ids.forEach(id -> expected.add("{\"jobId\":\"" + id.value() + "\"}"));
        assertEquals(expected, new HashSet<>(bodies));
        assertEquals(1, count("raregen.queue.send.batches"));
        assertEquals(10, count("raregen.queue.send.ids"));
    }

    @Test
    void loneEnqueue_sendsTheSingularBody() throws Exception {
        // GIVEN the Netty host's settings (up to 50 ids per message)
        String url = ElasticMq.createQueue("lone");
        SqsJobQueue queue = queue(config(url, 1, Duration.ofMillis(5), 50));
        JobId id = JobId.generate();

        // WHEN one job is enqueued and nothing else
        assertTrue(succeeded(queue.enqueue(id)));

        // THEN the message is exactly today's body
        assertEquals(List.of("{\"jobId\":\"" + id.value() + "\"}"), ElasticMq.drain(url));
        assertEquals(1, count("raregen.queue.send.messages"));
        assertEquals(1, count("raregen.queue.send.ids"));
    }

    @Test
    void queueThatDoesNotExist_failsEveryFutureOfTheCall_andCountsNothingSent() throws Exception {
        // GIVEN a queue URL that does not exist: SendMessageBatch fails as a whole
        SqsJobQueue queue = queue(config(ElasticMq.endpoint() + "/000000000000/no-such-queue-" + System.nanoTime(),
                1, WAIT_FOR_FULL_CALL, 5));
        List<JobId> ids = newIds(50);

        // WHEN a full call's worth of jobs is enqueued
        List<CompletableFuture<Void>> futures = enqueueConcurrently(queue, ids, 10);

        // THEN every one of them fails, with the SQS error, and nothing is counted as sent
        for (CompletableFuture<Void> f : futures) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof software.amazon.awssdk.services.sqs.model.SqsException, e.toString());
        }
        assertEquals(1, count("raregen.queue.send.batches"));
        assertEquals(0, count("raregen.queue.send.messages"));
        assertEquals(0, count("raregen.queue.send.ids"));
    }

    @Test
    void oneRefusedMessage_failsExactlyTheIdsItCarried_andTheOtherMessagesArrive() throws Exception {
        // GIVEN a queue whose entry for the message carrying one chosen job asks for a delay SQS does not
        // allow (more than 900 s), so that SQS refuses that one entry and accepts the rest of the call
        String url = ElasticMq.createQueue("refused");
        List<JobId> ids = newIds(50);
        JobId victim = ids.get(17);
        List<JobId> refusedMessage = new CopyOnWriteArrayList<>();
        SqsJobQueue queue = new SqsJobQueue(config(url, 1, WAIT_FOR_FULL_CALL, 5), clients(), meters) {
            @Override
            SendMessageBatchRequestEntry entry(String entryId, List<JobId> carried) {
                SendMessageBatchRequestEntry entry = super.entry(entryId, carried);
                if (!carried.contains(victim)) {
                    return entry;
                }
                refusedMessage.addAll(carried);
                return entry.toBuilder().delaySeconds(901).build();
            }
        };
        started.add(queue);

        // WHEN a full call's worth of jobs is enqueued
        List<CompletableFuture<Void>> futures = enqueueConcurrently(queue, ids, 10);

        // THEN exactly the ids of the refused message fail; the other 45 succeed and are on the queue once
        Set<String> failed = new HashSet<>();
        Set<String> succeeded = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            (succeeded(futures.get(i)) ? succeeded : failed).add(ids.get(i).value());
        }
        assertEquals(5, refusedMessage.size(), refusedMessage.toString());
        assertEquals(values(refusedMessage), failed);
        assertEquals(45, succeeded.size());
        List<String> bodies = ElasticMq.drain(url);
        assertEquals(9, bodies.size());
        List<String> sent = QueueBodies.jobIds(bodies);
        assertEquals(45, sent.size());
        assertEquals(succeeded, new HashSet<>(sent));
        assertFalse(sent.contains(victim.value()));
        assertEquals(9, count("raregen.queue.send.messages"));
        assertEquals(45, count("raregen.queue.send.ids"));
    }

    @Test
    void pack_splitsInOrder_intoMessagesOfAtMostMaxIds() {
        List<SqsJobQueue.Pending> batch = new ArrayList<>();
        newIds(23).forEach(id -> batch.add(new SqsJobQueue.Pending(id, new CompletableFuture<>())));

        List<List<SqsJobQueue.Pending>> messages = SqsJobQueue.pack(batch, 5);

        assertEquals(List.of(5, 5, 5, 5, 3), messages.stream().map(List::size).toList());
        List<SqsJobQueue.Pending> flattened = new ArrayList<>();
        messages.forEach(flattened::addAll);
        assertEquals(batch, flattened);
    }
}
