package io.raregen.broadcaster.collector;

import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.store.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Gathers job ids into batches. A batch closes when it holds {@code maxBatchSize} ids, when
 * {@code window} has passed since its first id, or when nothing new arrived for {@code linger}
 * — so a lone record leaves within the linger while a flood is batched. Under backlog (the last
 * claim filled a whole batch, or Postgres filled the whole backlog limit it was asked for) it stops
 * waiting for messages and claims straight from Postgres; the queue is then only the wake-up path,
 * and {@link #claimingBacklog()} tells the receivers they may stop pulling messages that would only
 * name jobs the backlog claim takes anyway.
 */
public final class BatchCollector implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCollector.class);
    public static final String HEARTBEAT = "collector";

    /** Where a closed batch goes; says how many jobs were claimed, and how many of them by the backlog claim. */
    @FunctionalInterface
    public interface BatchSink {
        Claimed submit(List<Incoming> batch, int backlogLimit) throws InterruptedException;
    }

    /** What a submission claimed: {@code jobs} in all, {@code fromBacklog} of them beyond the batch's own ids. */
    public record Claimed(int jobs, int fromBacklog) {
        public static final Claimed NOTHING = new Claimed(0, 0);
    }

    /** Whether the sink asked for a pause (pool starved). */
    @FunctionalInterface
    public interface Pause {
        boolean now();
    }

    private final int maxBatchSize;
    private final long windowNanos;
    private final long lingerNanos;
    private final boolean backlogClaim;
    private final BatchSink sink;
    private final Pause pause;
    private final Heartbeats heartbeats;
    private final BlockingQueue<Incoming> intake;
    private volatile boolean running = true;
    private volatile boolean claimingBacklog;
    private volatile Thread thread;
    // the current run of failed submissions (collector thread only)
    private static final Duration STILL_FAILING_EVERY = Duration.ofSeconds(30);
    private int failures;
    private long failingSince;
    private long lastFailureLog;

    public BatchCollector(int maxBatchSize, Duration window, Duration linger, boolean backlogClaim, BatchSink sink,
                          Pause pause, Heartbeats heartbeats) {
        this.maxBatchSize = maxBatchSize;
        this.windowNanos = window.toNanos();
        this.lingerNanos = linger.toNanos();
        this.backlogClaim = backlogClaim;
        this.sink = sink;
        this.pause = pause;
        this.heartbeats = heartbeats;
        this.intake = new LinkedBlockingQueue<>(Math.max(1000, maxBatchSize * 4));
        heartbeats.register(HEARTBEAT, Duration.ofSeconds(2));
    }

    /** From a receiver: waits while the collector is full (backpressure to SQS). */
    public void offer(Incoming item) {
        try {
            while (running && !intake.offer(item, 500, TimeUnit.MILLISECONDS)) {
                // full: the pipeline is behind; the message is not acknowledged, so nothing is lost
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** From a loop: never blocks; false when full (the loop finds the job again next round). */
    public boolean offerNow(Incoming item) {
        return intake.offer(item);
    }

    public int pending() {
        return intake.size();
    }

    /**
     * True while claims come back full, or Postgres fills the whole backlog limit: the jobs are taken oldest first
     * without their messages, so receiving (and deleting) those messages now would only cost CPU on
     * both sides. They are received and acknowledged cheaply once the backlog is gone.
     */
    public boolean claimingBacklog() {
        return claimingBacklog;
    }

    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            heartbeats.beat(HEARTBEAT);
            try {
                if (pause.now()) {
                    claimingBacklog = false;
                    Thread.sleep(200);
                    continue;
                }
                List<Incoming> batch = claimingBacklog ? drainNow() : collect();
                if (!running) {
                    break;
                }
                if (batch.isEmpty() && !claimingBacklog) {
                    continue;
                }
                int limit = backlogClaim ? Math.max(0, maxBatchSize - batch.size()) : 0;
                Claimed claimed = sink.submit(batch, limit);
                recovered();
                // a backlog while batches come back full, or while Postgres filled the whole backlog limit
                // (messages for jobs claimed earlier make a batch short without meaning the backlog is gone)
                claimingBacklog = backlogClaim
                        && (claimed.jobs() >= maxBatchSize || (limit > 0 && claimed.fromBacklog() >= limit));
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // e.g. the database is unreachable: the messages were not acknowledged and come back
                failing(e);
                claimingBacklog = false;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
    }

    /**
     * Logs a failed submission without flooding: a database outage as one line when it begins and one every
     * {@link #STILL_FAILING_EVERY} while it lasts (never a stack trace per attempt); any other failure with its
     * stack trace, the first of a run of failures only.
     */
    private void failing(RuntimeException e) {
        long now = System.nanoTime();
        failures++;
        if (failures == 1) {
            failingSince = now;
            lastFailureLog = now;
            if (DatabaseOutage.is(e)) {
                LOG.warn("database unavailable, batch submission retried every second until it is back: {}",
                        DatabaseOutage.describe(e));
            } else {
                LOG.error("batch submission failed; retrying every second", e);
            }
        } else if (now - lastFailureLog >= STILL_FAILING_EVERY.toNanos()) {
            lastFailureLog = now;
            LOG.warn("batch submission still failing after {} attempts over {} s: {}", failures,
                    (now - failingSince) / 1_000_000_000L, DatabaseOutage.describe(e));
        }
    }

    private void recovered() {
        if (failures > 0) {
            LOG.warn("batch submission works again after {} failed attempts over {} ms", failures,
                    (System.nanoTime() - failingSince) / 1_000_000);
            failures = 0;
        }
    }

    private List<Incoming> drainNow() {
        List<Incoming> batch = new ArrayList<>();
        intake.drainTo(batch, maxBatchSize);
        return batch;
    }

    /** Waits for a first id, then closes on size, window or linger. */
    List<Incoming> collect() throws InterruptedException {
        List<Incoming> batch = new ArrayList<>();
        Incoming first = intake.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + windowNanos;
        while (batch.size() < maxBatchSize) {
            intake.drainTo(batch, maxBatchSize - batch.size());
            if (batch.size() >= maxBatchSize) {
                break;
            }
            long wait = Math.min(lingerNanos, deadline - System.nanoTime());
            if (wait <= 0) {
                break;
            }
            Incoming next = intake.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }
}
