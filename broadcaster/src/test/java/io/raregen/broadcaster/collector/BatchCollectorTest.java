package io.raregen.broadcaster.collector;

import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCollectorTest {

    record Submitted(List<Incoming> batch, int backlogLimit, long atNanos) {
    }

    static BatchCollector collector(int max, Duration window, Duration linger, boolean backlog,
                                    LinkedBlockingQueue<Submitted> out, int claimReturn) {
        return new BatchCollector(max, window, linger, backlog, (batch, limit) -> {
            out.add(new Submitted(batch, limit, System.nanoTime()));
            int claimed = claimReturn < 0 ? batch.size() : claimReturn;
            return new BatchCollector.Claimed(claimed, Math.max(0, claimed - batch.size()));
        }, () -> false, new Heartbeats());
    }

    /** What a recording sink answers to its n-th submission (1-based). */
    interface Answer {
        BatchCollector.Claimed claim(int n, List<Incoming> batch, int limit, BatchCollector self);
    }

    /**
     * A backlog-claiming collector of batches of 10 whose sink records each submission and whether the
     * receivers were held at that moment, and answers with {@code answer}.
     */
    static BatchCollector backlogCollector(LinkedBlockingQueue<Submitted> out, List<Boolean> holdingReceivers, Answer answer) {
        AtomicInteger submissions = new AtomicInteger();
        BatchCollector[] self = new BatchCollector[1];
        self[0] = new BatchCollector(10, Duration.ofSeconds(5), Duration.ofMillis(20), true, (batch, limit) -> {
            holdingReceivers.add(self[0].claimingBacklog());
            out.add(new Submitted(new ArrayList<>(batch), limit, System.nanoTime()));
            return answer.claim(submissions.incrementAndGet(), batch, limit, self[0]);
        }, () -> false, new Heartbeats());
        return self[0];
    }

    @Test
    void aLoneJob_leavesAfterTheLinger_notTheWindow() throws Exception {
        LinkedBlockingQueue<Submitted> out = new LinkedBlockingQueue<>();
        BatchCollector c = collector(500, Duration.ofSeconds(5), Duration.ofMillis(50), false, out, -1);
        Thread t = new Thread(c);
        t.start();
        long t0 = System.nanoTime();
        c.offer(new Incoming(JobId.generate(), "r"));
        Submitted s = out.poll(3, TimeUnit.SECONDS);
        c.stop();
        assertNotNull(s, "a lone job is not held for the 5 s window");
        assertEquals(1, s.batch().size());
        assertEquals(0, s.backlogLimit(), "no backlog claim when disabled");
    }

    @Test
    void aFlood_closesBatchesAtMaxBatchSize() throws Exception {
        LinkedBlockingQueue<Submitted> out = new LinkedBlockingQueue<>();
        BatchCollector c = collector(10, Duration.ofSeconds(5), Duration.ofSeconds(5), false, out, -1);
        for (int i = 0; i < 25; i++) {
            c.offerNow(new Incoming(JobId.generate(), "r" + i));
        }
        Thread t = new Thread(c);
        t.start();
        Submitted a = out.poll(3, TimeUnit.SECONDS);
        Submitted b = out.poll(3, TimeUnit.SECONDS);
        c.stop();
        assertEquals(10, a.batch().size());
        assertEquals(10, b.batch().size());
    }

    @Test
    void aSteadyTrickle_closesAtTheWindowEvenThoughTheLingerNeverExpires() throws Exception {
        LinkedBlockingQueue<Submitted> out = new LinkedBlockingQueue<>();
        BatchCollector c = collector(1000, Duration.ofMillis(300), Duration.ofMillis(200), false, out, -1);
        Thread t = new Thread(c);
        t.start();
        long t0 = System.nanoTime();
        Thread feeder = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                c.offer(Incoming.fromLoop(JobId.generate()));
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        feeder.start();
        Submitted first = out.poll(3, TimeUnit.SECONDS);
        feeder.join();
        c.stop();
        assertNotNull(first);
        assertTrue(first.batch().size() < 40, "the window closed the batch before the trickle ended: " + first.batch().size());
    }

    @Test
    void withBacklogClaim_aFullClaimMakesTheNextBatchClaimFromTheDatabaseWithoutWaiting() throws Exception {
        LinkedBlockingQueue<Submitted> out = new LinkedBlockingQueue<>();
        List<Integer> answers = List.of(10, 10, 3);
        List<Boolean> holdingReceivers = new CopyOnWriteArrayList<>();
        BatchCollector c = backlogCollector(out, holdingReceivers, (n, batch, limit, self) -> {
            int claimed = n <= answers.size() ? answers.get(n - 1) : 0;
            return new BatchCollector.Claimed(claimed, Math.max(0, claimed - batch.size()));
        });
        c.offerNow(new Incoming(JobId.generate(), "r"));
        Thread t = new Thread(c);
        t.start();
        Submitted first = out.poll(3, TimeUnit.SECONDS);
        Submitted second = out.poll(3, TimeUnit.SECONDS);
        Submitted third = out.poll(3, TimeUnit.SECONDS);
        Submitted fourth = out.poll(700, TimeUnit.MILLISECONDS);
        c.stop();
        assertEquals(9, first.backlogLimit(), "tops up to the batch size");
        assertEquals(0, second.batch().size(), "backlog: no message needed");
        assertEquals(10, second.backlogLimit());
        assertNotNull(third, "still backlog after a full claim");
        assertEquals(null, fourth, "a short claim ends backlog mode: the collector waits for messages again");
        assertEquals(List.of(false, true, true), holdingReceivers,
                "receivers are held only while full claims come straight from the database");
        assertEquals(false, c.claimingBacklog(), "released after the short claim");
    }

    @Test
    void withBacklogClaim_aShortBatchWhoseBacklogLimitPostgresFilled_staysInBacklogMode() throws Exception {
        // messages arriving meanwhile name jobs the first claim already took: the second batch claims none of
        // its own ids and is short, but Postgres filled its whole backlog limit, so more jobs are queued
        LinkedBlockingQueue<Submitted> out = new LinkedBlockingQueue<>();
        List<Boolean> holdingReceivers = new CopyOnWriteArrayList<>();
        BatchCollector c = backlogCollector(out, holdingReceivers, (n, batch, limit, self) -> {
            switch (n) {
                case 1 -> {
                    for (int i = 0; i < 6; i++) {
                        self.offerNow(new Incoming(JobId.generate(), "r" + i));
                    }
                    return new BatchCollector.Claimed(10, 9);
                }
                case 2 -> {
                    return new BatchCollector.Claimed(limit, limit); // none of the 6, the whole limit from Postgres
                }
                case 3 -> {
                    return new BatchCollector.Claimed(2, 2); // fewer than asked: the backlog is gone
                }
                default -> {
                    return BatchCollector.Claimed.NOTHING;
                }
            }
        });
        c.offerNow(new Incoming(JobId.generate(), "r"));
        Thread t = new Thread(c);
        t.start();
        Submitted first = out.poll(3, TimeUnit.SECONDS);
        Submitted second = out.poll(3, TimeUnit.SECONDS);
        Submitted third = out.poll(3, TimeUnit.SECONDS);
        Submitted fourth = out.poll(700, TimeUnit.MILLISECONDS);
        c.stop();
        assertNotNull(first);
        assertEquals(6, second.batch().size(), "the late messages");
        assertEquals(4, second.backlogLimit());
        assertNotNull(third, "still claiming straight from the database after the short second batch");
        assertEquals(0, third.batch().size());
        assertEquals(List.of(false, true, true), holdingReceivers.subList(0, 3), "receivers held throughout the backlog");
        assertEquals(null, fourth, "a claim short of its limit ends backlog mode");
        assertEquals(false, c.claimingBacklog());
    }
}
