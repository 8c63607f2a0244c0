package io.raregen.functions.status;

import io.raregen.core.types.JobId;

import java.util.Optional;

/** Read-only views of jobs, batches and the pool. */
public interface StatusRepository {

    Optional<JobView> findJob(JobId jobId);

    Optional<BatchView> findBatch(String batchId);

    PoolReport poolReport();

    /** True when the database answers a trivial query. */
    boolean isReachable();
}
