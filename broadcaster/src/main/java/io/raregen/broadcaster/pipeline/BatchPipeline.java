package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.collector.BatchCollector;
import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.receive.MessageAcker;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.sign.BatchSigner;
import io.raregen.broadcaster.store.ClaimedJob;
import io.raregen.broadcaster.store.DatabaseOutage;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.store.SignedJob;
import io.raregen.broadcaster.store.StoreException;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One batch from claim to results: claim (caller's thread: the jobs' rows locked in a transaction left open) →
 * reserve, sign, and store the signed transactions in that same transaction (prepare thread: each job's row is written
 * once, queued → signed) → rate-limited broadcast + results (send thread, batches in order).
 * A semaphore bounds the batches in hand, so a flood back-pressures the collector, not the heap.
 */
public final class BatchPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPipeline.class);

    private final String instanceId;
    private final PublishJobStore store;
    private final UtxoPool pool;
    private final KeyPair poolKey;
    private final FeePolicy fees;
    private final BatchSigner signer;
    private final BatchSender sender;
    private final ResultApplier applier;
    private final MessageAcker acker;
    private final PipelineMetrics metrics;
    private final PipelineHooks hooks;
    private final Duration lease;
    private final Semaphore inHand;
    private final ExecutorService prepareExec;
    private final ExecutorService sendExec;
    /** Claims handed to a preparer and not finished yet: a kill ends them as a dying process's connections would. */
    private final Set<PublishJobStore.Claim> held = ConcurrentHashMap.newKeySet();
    private volatile long starvedUntil;
    private volatile boolean closing;

    /**
     * The stages of {@code p} (store, pool, keys, fees, metrics, hooks, settings), with the signer, sender and result
     * applier its pipeline built, and the acker of its queue (null without one).
     */
    BatchPipeline(PublishPipeline.Parts p, BatchSigner signer, BatchSender sender, ResultApplier applier, MessageAcker acker) {
        this.instanceId = p.instanceId();
        this.store = p.store();
        this.pool = p.payer().pool();
        this.poolKey = p.payer().key();
        this.fees = p.payer().fees();
        this.signer = signer;
        this.sender = sender;
        this.applier = applier;
        this.acker = acker;
        this.metrics = p.metrics();
        this.hooks = p.hooks();
        PipelineSettings settings = p.pipeline();
        this.lease = settings.getReservationLease();
        int preparers = Math.max(1, settings.getPrepareThreads());
        // every preparer needs a batch in hand besides the prepared ones waiting for the send thread
        this.inHand = new Semaphore(Math.max(1, settings.getMaxPreparedBatches()) + preparers);
        // batches of different preparers may reach the send thread in either order: order matters only
        // within a batch (batch_seq), and each batch is reserved, signed and stored on its own
        this.prepareExec = Executors.newFixedThreadPool(preparers, r -> new Thread(r, "batch-prepare-" + instanceId));
        this.sendExec = Executors.newSingleThreadExecutor(r -> new Thread(r, "batch-send-" + instanceId));
    }

    /** True while the pool recently could not cover a batch: the collector should not claim in a tight loop. */
    public boolean starved() {
        return System.currentTimeMillis() < starvedUntil;
    }

    /**
     * Claims the jobs named by {@code items} plus up to {@code backlogLimit} other queued jobs (row locks in a
     * transaction held open), acknowledges every message whose jobs are now all settled (held by this or another
     * claim, stored already, or unknown), and hands the batch on. Says how many jobs were claimed, and how many of them by the backlog claim.
     */
    public BatchCollector.Claimed submit(List<Incoming> items, int backlogLimit) throws InterruptedException {
        inHand.acquire();
        boolean handedOff = false;
        PublishJobStore.Claim claim = null;
        try {
            Set<JobId> ids = new LinkedHashSet<>();
            for (Incoming i : items) {
                ids.add(i.jobId());
            }
            BatchId batchId = BatchId.generate();
            claim = store.claim(batchId, instanceId, ids, backlogLimit);
            // every job of these items is now held by this claim, held by another or stored already, or unknown: a
            // message is deleted once all the jobs it names are settled (they may be spread over several batches).
            // Should this claim end without storing (a failure, a crash), its jobs are queued again, and a later
            // claim's backlog share (or the reconciler) takes them without their message.
            Set<String> receipts = new LinkedHashSet<>();
            for (Incoming i : items) {
                if (i.delivery() != null && i.delivery().settle()) {
                    receipts.add(i.delivery().receiptHandle());
                }
            }
            Set<JobId> claimed = new HashSet<>();
            claim.jobs().forEach(j -> claimed.add(j.jobId()));
            Set<JobId> notClaimed = new HashSet<>(ids);
            notClaimed.removeAll(claimed);
            if (!notClaimed.isEmpty()) {
                countUnknown(notClaimed);
            }
            if (acker != null && !receipts.isEmpty()) {
                acker.ack(receipts);
            }
            if (claim.jobs().isEmpty()) {
                return BatchCollector.Claimed.NOTHING;
            }
            int fromBacklog = (int) claim.jobs().stream().filter(j -> !ids.contains(j.jobId())).count();
            BatchCollector.Claimed result = new BatchCollector.Claimed(claim.jobs().size(), fromBacklog);
            metrics.batch(claim.jobs().size());
            try {
                hooks.afterClaim(batchId);
            } catch (PipelineHooks.SimulatedCrash crash) {
                LOG.warn("{} after claim of batch {}", crash.getMessage(), batchId);
                return result; // the claim's transaction dies with the "process": see finally
            }
            PublishJobStore.Claim handed = claim;
            held.add(handed);
            prepareExec.execute(() -> prepareAndSend(handed));
            handedOff = true;
            return result;
        } finally {
            if (!handedOff) {
                if (claim != null) {
                    claim.close();
                }
                inHand.release();
            }
        }
    }

    /**
     * Counts the messages naming jobs that do not exist. Only a count: when the database fails here the claim has
     * committed all the same, so the claimed jobs must still go on (never to wait for the rescuer).
     */
    private void countUnknown(Set<JobId> notClaimed) {
        try {
            int unknown = notClaimed.size() - store.existing(notClaimed).size();
            if (unknown > 0) {
                LOG.warn("{} queue messages name jobs that do not exist; deleting them", unknown);
                metrics.poison(unknown);
            }
        } catch (StoreException e) {
            LOG.warn("could not check {} queue messages for unknown jobs: {}", notClaimed.size(), DatabaseOutage.describe(e));
        }
    }

    private void prepareAndSend(PublishJobStore.Claim claim) {
        boolean handedOff = false;
        try (MDC.MDCCloseable ignored = MDC.putCloseable("batchId", claim.batchId().value()); claim) {
            long storing = System.nanoTime(); // before signed_at is written: see BatchSender
            List<SignedJob> signed = prepare(claim);
            if (signed.isEmpty()) {
                return;
            }
            hooks.afterStore(claim.batchId());
            sendExec.execute(() -> {
                try (MDC.MDCCloseable b = MDC.putCloseable("batchId", claim.batchId().value())) {
                    long t0 = System.nanoTime();
                    ResultApplier.Applied done = sender.send(signed, storing, () -> hooks.afterBroadcast(claim.batchId()));
                    // every job settled: sent recorded once for the batch (which also finishes it); else one by one
                    if (!applier.recordSent(claim.batchId(), done)) {
                        store.finishBatch(claim.batchId(), done.open().isEmpty());
                    }
                    LOG.info("batch {}: {} transactions broadcast and applied in {} ms, {} still open", claim.batchId(),
                            signed.size(), (System.nanoTime() - t0) / 1_000_000, done.open().size());
                } catch (PipelineHooks.SimulatedCrash crash) {
                    LOG.warn("{} in batch {}", crash.getMessage(), claim.batchId());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // the jobs are stored as signed: the rescuer re-sends the same bytes
                    if (DatabaseOutage.is(e)) {
                        LOG.warn("batch {}: database unavailable while broadcasting or recording results; the rescuer "
                                + "re-sends its stored transactions: {}", claim.batchId(), DatabaseOutage.describe(e));
                    } else {
                        LOG.error("broadcast of batch {} failed; the rescuer will re-send it", claim.batchId(), e);
                    }
                } finally {
                    inHand.release();
                }
            });
            handedOff = true;
        } catch (PipelineHooks.SimulatedCrash crash) {
            LOG.warn("{} in batch {}", crash.getMessage(), claim.batchId());
        } catch (RuntimeException e) {
            if (DatabaseOutage.is(e)) {
                LOG.warn("batch {}: database unavailable while preparing it: {}", claim.batchId(),
                        DatabaseOutage.describe(e));
            } else {
                LOG.error("preparing batch {} failed", claim.batchId(), e);
            }
        } finally {
            held.remove(claim);
            if (!handedOff) {
                inHand.release();
            }
        }
    }

    /**
     * Reserve one UTXO set per job, sign all on every core, then store all in the claim's transaction. Returns the jobs
     * now stored as signed. Every other job of the claim stays queued (the claim ends without writing it) or, if it
     * can never be published, is failed in the claim's transaction.
     */
    List<SignedJob> prepare(PublishJobStore.Claim claim) {
        BatchId batchId = claim.batchId();
        FeeRate rate = fees.current();
        List<ReservationRequest> requests = new ArrayList<>(claim.jobs().size());
        List<ClaimedJob> signable = new ArrayList<>(claim.jobs().size());
        for (ClaimedJob j : claim.jobs()) {
            try {
                requests.add(new ReservationRequest(j.jobId(), PublishTransactions.estimateFee(j.envelope(), rate), rate.feeFor(148)));
                signable.add(j);
            } catch (IllegalArgumentException e) {
                failUnsigned(claim, j.jobId(), "RECORD_UNENCODABLE", e.getMessage());
            }
        }
        long t0 = System.nanoTime();
        Map<JobId, Reservation> reservations = new HashMap<>();
        for (Reservation r : pool.reserve(requests, instanceId, lease)) {
            reservations.put(r.jobId(), r);
        }
        List<ClaimedJob> reserved = new ArrayList<>(signable.size());
        int unreserved = 0;
        for (ClaimedJob j : signable) {
            if (reservations.containsKey(j.jobId())) {
                reserved.add(j);
            } else {
                unreserved++;
            }
        }
        if (unreserved > 0) {
            LOG.warn("pool could not cover {} of {} jobs; they stay queued", unreserved, signable.size());
            starvedUntil = System.currentTimeMillis() + 1000;
        }
        if (reserved.isEmpty()) {
            claim.release();
            return List.of();
        }
        long t1 = System.nanoTime();
        BatchSigner.Outcome outcome;
        try {
            outcome = signer.sign(reserved, reservations, poolKey, rate);
        } catch (RuntimeException e) {
            compensate(batchId, "returning its reservations", () -> release(reservations.values()));
            throw e;
        }
        release(outcome.failed().keySet(), reservations);
        outcome.failed().forEach((jobId, why) -> {
            if (why == BatchSigner.Failure.RECORD_UNENCODABLE) {
                failUnsigned(claim, jobId, "RECORD_UNENCODABLE", outcome.details().get(jobId));
            }
            // INSUFFICIENT_FUNDS: the job stays queued
        });
        long t2 = System.nanoTime();
        try {
            hooks.beforeStore(batchId);
            store.storeSigned(claim, outcome.signed());
            LOG.info("batch {}: {} jobs reserved in {} ms, signed in {} ms, stored in {} ms", batchId, reserved.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        } catch (StoreException e) {
            // nothing of the batch is stored (or, if the connection broke during the commit, maybe all of it: the
            // release keeps every input a stored transaction spends, and the rescuer re-sends stored transactions):
            // nothing may be broadcast; the claim rolled back, so its jobs are queued; give every input back
            if (DatabaseOutage.is(e)) {
                LOG.warn("batch {}: database unavailable while storing it; its jobs stay queued: {}", batchId,
                        DatabaseOutage.describe(e));
            } else {
                LOG.error("storing batch {} failed; its jobs stay queued", batchId, e);
            }
            List<JobId> signedIds = outcome.signed().stream().map(SignedJob::jobId).toList();
            compensate(batchId, "returning its reservations", () -> release(signedIds, reservations));
            return List.of();
        }
        return outcome.signed();
    }

    /**
     * A clean-up that must outlive a database outage: a batch that failed because the database went away must not
     * leave its UTXOs reserved for the whole lease, nor its jobs to the rescuer's {@code rescue-processing-after}.
     * Retried with backoff (0.2 s doubling to 5 s) while the failure is an outage, for at most half the reservation
     * lease and never past {@link #close}; after that the leases lapse and the rescuer requeues the jobs as before.
     */
    private void compensate(BatchId batchId, String what, Runnable action) {
        long deadline = System.nanoTime() + lease.toNanos() / 2;
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                if (attempt > 1) {
                    LOG.warn("batch {}: {} done after {} attempts", batchId, what, attempt);
                }
                return;
            } catch (RuntimeException e) {
                boolean retry = DatabaseOutage.is(e) && !closing
                        && System.nanoTime() + backoffMs * 1_000_000 < deadline;
                if (!retry) {
                    LOG.error("batch {}: {} failed; its leases lapse and the rescuer requeues its jobs", batchId, what, e);
                    return;
                }
                if (attempt == 1) {
                    LOG.warn("batch {}: database unavailable, {} retried until it is back: {}", batchId, what,
                            DatabaseOutage.describe(e));
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    LOG.warn("batch {}: interrupted before {}; its leases lapse and the rescuer requeues its jobs", batchId, what);
                    return;
                }
                backoffMs = Math.min(5000, backoffMs * 2);
            }
        }
    }

    private void failUnsigned(PublishJobStore.Claim claim, JobId jobId, String code, String detail) {
        if (store.failUnsigned(claim, jobId, code, detail)) {
            metrics.jobFailed(code);
            LOG.error("job {} failed: {} {}", jobId, code, detail);
        }
    }

    /** One pool transaction for the reservations of all these jobs. */
    private void release(Collection<JobId> jobIds, Map<JobId, Reservation> reservations) {
        release(jobIds.stream().map(reservations::get).filter(java.util.Objects::nonNull).toList());
    }

    private void release(Collection<Reservation> rs) {
        List<Outpoint> all = new ArrayList<>();
        rs.forEach(r -> all.addAll(outpoints(r)));
        if (!all.isEmpty()) {
            pool.release(all);
        }
    }

    private static List<Outpoint> outpoints(Reservation r) {
        return r == null ? List.of() : r.inputs().stream().map(Utxo::outpoint).toList();
    }

    /** Finishes the batches in hand within 30 s; the application passes its own grace to {@link #close(Duration)}. */
    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(30));
    }

    /** Finishes the batches in hand (prepare, store, broadcast) within {@code grace}, all stages together. */
    public void close(Duration grace) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + grace.toNanos();
        prepareExec.shutdown();
        prepareExec.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        sendExec.shutdown();
        sendExec.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Stops at once, abandoning batches in hand (tests: the crash of a process). */
    public void kill() {
        closing = true;
        prepareExec.shutdownNow();
        sendExec.shutdownNow();
        // a process that dies loses its connections, and Postgres rolls their claims back at once
        held.forEach(PublishJobStore.Claim::close);
        held.clear();
    }
}
