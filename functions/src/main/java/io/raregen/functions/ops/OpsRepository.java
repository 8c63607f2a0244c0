package io.raregen.functions.ops;

import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.types.JobId;

import java.time.Instant;
import java.util.List;

/** The operator's history and actions in the job store. */
public interface OpsRepository {

    /** One point per minute from {@code from} (a whole minute) for {@code minutes} minutes, gaps as zeros. */
    List<SeriesView.Point> series(Instant from, int minutes);

    /** The live pool, funding and failure figures (the DLQ is not in the database). */
    Figures figures();

    List<FailedJobs.FailedJob> failedJobs(int limit);

    FailedJobs.RetryOutcome retry(JobId jobId);

    /**
     * The live figures. {@code alertThreshold} and {@code fundingAddress} come from the broadcaster's latest pool
     * sample and are null before its first one.
     */
    record Figures(long available, long reserved, long availableSatoshis, Long alertThreshold,
                   String fundingAddress, long fundingSatoshis, long failedJobs) {
    }
}
