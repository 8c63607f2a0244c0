package io.raregen.functions.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.jobs.FailedJobs;

import java.time.Instant;
import java.util.List;

/** GET /v1/ops/failed-jobs: newest failure first. */
@Serdeable
public record FailedJobsView(List<Job> jobs) {

    /**
     * @param error     {@code CODE: detail}, ready to show; the parts are {@code errorCode} and {@code errorDetail}
     * @param retryable false when the job holds a signed transaction (it may still reach the chain, so it is never
     *                  re-queued)
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Job(String jobId, @Nullable Instant failedAt, String error, String errorCode,
                      @Nullable String errorDetail, int attempts, @Nullable String txid, Instant createdAt,
                      boolean retryable) {

        static Job of(FailedJobs.FailedJob j) {
            String error = j.errorDetail() == null || j.errorDetail().isBlank()
                    ? j.errorCode() : j.errorCode() + ": " + j.errorDetail();
            return new Job(j.jobId().value(), j.failedAt(), error, j.errorCode(), j.errorDetail(), j.attempts(),
                    j.txid() == null ? null : j.txid().hex(),
                    j.createdAt(), j.txid() == null);
        }
    }
}
