package io.raregen.broadcaster.sign;

import io.raregen.broadcaster.store.ClaimedJob;
import io.raregen.broadcaster.store.SignedJob;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.InsufficientFundsException;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.JobId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Builds and signs the publish transaction of every reserved job of a batch on all cores
 * (ECDSA signing is the CPU cost of the pipeline). Pure computation: nothing is stored here.
 */
public final class BatchSigner implements AutoCloseable {

    /** Why a job could not be signed. */
    public enum Failure {
        /** The reserved inputs do not cover the fee (rate rose between estimate and signing): hand back. */
        INSUFFICIENT_FUNDS,
        /** The stored envelope cannot be turned into a record output: the job can never be published. */
        RECORD_UNENCODABLE
    }

    public record Outcome(List<SignedJob> signed, Map<JobId, Failure> failed, Map<JobId, String> details) {
    }

    private final ForkJoinPool pool;

    public BatchSigner(int threads) {
        this.pool = new ForkJoinPool(Math.max(1, threads));
    }

    public Outcome sign(List<ClaimedJob> jobs, Map<JobId, Reservation> reservations, KeyPair poolKey, FeeRate rate) {
        byte[] changeScript = poolKey.p2pkhLockingScript();
        record One(ClaimedJob job, SignedTransaction tx, Failure failure, String detail) {
        }
        List<One> results;
        try {
            results = pool.submit(() -> jobs.parallelStream().map(job -> {
                Reservation r = reservations.get(job.jobId());
                try {
                    SignedTransaction tx = PublishTransactions.build(r.inputs(), poolKey, job.envelope(), changeScript, rate);
                    return new One(job, tx, null, null);
                } catch (InsufficientFundsException e) {
                    return new One(job, null, Failure.INSUFFICIENT_FUNDS, e.getMessage());
                } catch (IllegalArgumentException e) {
                    return new One(job, null, Failure.RECORD_UNENCODABLE, e.getMessage());
                }
            }).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("signing interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("signing failed", e.getCause());
        }
        List<SignedJob> signed = new ArrayList<>(results.size());
        Map<JobId, Failure> failed = new LinkedHashMap<>();
        Map<JobId, String> details = new LinkedHashMap<>();
        for (One o : results) {
            if (o.tx != null) {
                ClaimedJob j = o.job;
                signed.add(new SignedJob(j.jobId(), j.batchId(), j.batchSeq(), o.tx, j.createdAt(), j.attempts()));
            } else {
                failed.put(o.job.jobId(), o.failure);
                details.put(o.job.jobId(), o.detail);
            }
        }
        return new Outcome(signed, failed, details);
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
