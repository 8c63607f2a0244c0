package io.raregen.functions.status;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.JobId;
import io.raregen.functions.queue.JobQueue;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import jakarta.inject.Singleton;

import java.util.regex.Pattern;

/** Job, batch, pool and health look-ups. */
@Singleton
public class StatusService {

    private static final Pattern BATCH_ID = Pattern.compile("[0-9A-Za-z_-]{1,32}");

    private final StatusRepository repository;
    private final JobQueue queue;
    private final OperatorGuard operator;

    public StatusService(StatusRepository repository, JobQueue queue, OperatorGuard operator) {
        this.repository = repository;
        this.queue = queue;
        this.operator = operator;
    }

    public JobView job(String jobId) {
        return repository.findJob(parseJobId(jobId))
                .orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + jobId));
    }

    public BatchView batch(String batchId) {
        if (batchId == null || !BATCH_ID.matcher(batchId).matches()) {
            throw new ApiException(ErrorCode.BATCH_ID_INVALID, "batch ids are 1 to 32 characters [0-9A-Za-z_-]");
        }
        return repository.findBatch(batchId)
                .orElseThrow(() -> new ApiException(ErrorCode.BATCH_NOT_FOUND, "no batch " + batchId));
    }

    public PoolReport pool(@Nullable String authorization) {
        operator.requireOperator(authorization);
        return repository.poolReport();
    }

    public Health health() {
        boolean db = repository.isReachable();
        boolean q = queue.isReachable();
        return new Health(db && q ? "UP" : "DOWN", new Health.Checks(status(db), status(q)));
    }

    /** Validates a job id path segment. */
    public static JobId parseJobId(String jobId) {
        try {
            return JobId.parse(jobId);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.JOB_ID_INVALID, "job ids are 26-character ULIDs");
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
