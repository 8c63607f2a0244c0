package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.store.SignedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Broadcasts stored transactions in batch_seq order through the rate limiter and applies the
 * results. Open outcomes (unknown, in flight) are re-sent with the SAME bytes with exponential
 * backoff a few times (ARC answers the current status of a txid it knows); whatever is still open
 * afterwards stays signed for the rescuer. Nothing here ever re-signs.
 *
 * <p>Before a chunk goes out its jobs get a fresh {@code sending_started_at}, which keeps the
 * rescuer (it re-sends signed jobs whose last stamp or {@code signed_at} is older than its
 * {@code rebroadcast-after}) away from a send in progress. A chunk whose jobs were stored or
 * stamped less than {@code stampAfter} ago is sent without that extra write: their
 * {@code signed_at} already keeps the rescuer away for longer than the send takes. Under a rate
 * limit, chunks that waited for tokens are stamped as before.
 */
public final class BatchSender {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSender.class);

    private final PublishJobStore store;
    private final TransactionBroadcaster broadcaster;
    private final RateLimiter limiter;
    private final ResultApplier applier;
    private final int chunkSize;
    private final int resolveAttempts;
    private final Duration initialBackoff;
    private final long stampAfterNanos;

    public BatchSender(PublishJobStore store, TransactionBroadcaster broadcaster, RateLimiter limiter, ResultApplier applier,
                       int chunkSize, int resolveAttempts, Duration initialBackoff, Duration stampAfter) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.limiter = limiter;
        this.applier = applier;
        this.chunkSize = Math.max(1, chunkSize);
        this.resolveAttempts = resolveAttempts;
        this.initialBackoff = initialBackoff;
        this.stampAfterNanos = stampAfter.toNanos();
    }

    /**
     * Sends every job once (in batch_seq order) and resolves open outcomes; returns what was applied, for the caller
     * to record ({@link ResultApplier#recordSent}), and what stays open.
     * {@code stampedAtNanos} is a {@link System#nanoTime()} taken before the jobs' {@code signed_at}
     * or last {@code sending_started_at} was written.
     */
    public ResultApplier.Applied send(List<SignedJob> jobs, long stampedAtNanos, Runnable afterBroadcastHook)
            throws InterruptedException {
        List<SignedJob> ordered = new ArrayList<>(jobs);
        ordered.sort(Comparator.comparingInt(SignedJob::batchSeq));
        return resolve(sendOnce(ordered, true, stampedAtNanos, afterBroadcastHook));
    }

    /**
     * One pass over {@code jobs} in the chunks the limiter grants, results applied per chunk; returns
     * what was applied and the jobs still open. With {@code stamp}, a chunk is stamped first unless its jobs were stored or
     * stamped less than {@code stampAfter} before it goes out.
     */
    private ResultApplier.Applied sendOnce(List<SignedJob> jobs, boolean stamp, long stampedAtNanos,
                                           Runnable afterBroadcastHook) throws InterruptedException {
        ResultApplier.Applied done = ResultApplier.Applied.NONE;
        int i = 0;
        while (i < jobs.size()) {
            // tokens for one request at a time: a grant split over several requests would reach the network
            // answer after answer, long after its tokens were taken
            int wanted = Math.max(1, broadcaster.firstRequestSize(
                    jobs.subList(i, Math.min(jobs.size(), i + chunkSize)).stream().map(SignedJob::tx).toList()));
            // each job's own signed_at / stamp is what the rescuer reads: a stamp on one chunk does not cover the next.
            // The stamp comes before the tokens, so no database write stands between taking them and the send and the
            // network sees the pace the bucket grants (measured at the local chain: with the write in between, a 1 s
            // window held up to 207 arrivals for a bucket of 100 + 100/s). A job stamped but not granted goes out in
            // the next turn, as soon as a token is back.
            if (stamp && System.nanoTime() - stampedAtNanos >= stampAfterNanos) {
                store.markSendingStarted(jobs.subList(i, i + wanted).stream().map(SignedJob::jobId).toList());
            }
            int granted = limiter.acquire(wanted);
            List<SignedJob> chunk = jobs.subList(i, i + granted);
            i += granted;
            long t0 = System.nanoTime();
            List<BroadcastResult> results = broadcaster.broadcast(chunk.stream().map(SignedJob::tx).toList());
            long t1 = System.nanoTime();
            afterBroadcastHook.run();
            done = done.then(applier.apply(chunk, results), false);
            LOG.debug("{} transactions: broadcast {} ms, results applied {} ms", chunk.size(), (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        }
        return done;
    }

    /** Re-sends what is open, same bytes, with exponential backoff, {@code resolveAttempts} times at most. */
    private ResultApplier.Applied resolve(ResultApplier.Applied done) throws InterruptedException {
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; attempt <= resolveAttempts && !done.open().isEmpty(); attempt++) {
            Thread.sleep(backoff);
            backoff *= 2;
            done = done.then(sendOnce(done.open(), false, 0, () -> { }), true);
        }
        if (!done.open().isEmpty()) {
            LOG.warn("{} transactions still without a definitive answer; the rescuer re-sends them", done.open().size());
        }
        return done;
    }
}
