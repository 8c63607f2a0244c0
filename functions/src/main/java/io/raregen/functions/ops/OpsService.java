package io.raregen.functions.ops;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.types.JobId;
import io.raregen.functions.queue.JobQueue;
import io.raregen.functions.queue.QueueConfiguration;
import io.raregen.functions.status.StatusService;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The operator's history and the failed-job re-drive; every call needs the operator token. */
@Singleton
public class OpsService {

    private static final Logger LOG = LoggerFactory.getLogger(OpsService.class);

    public static final int DEFAULT_MINUTES = 1440;
    public static final int MAX_MINUTES = 10080;
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final OpsRepository repository;
    private final DeadLetterQueue dlq;
    private final JobQueue queue;
    private final QueueConfiguration queueConfig;
    private final OpsConfiguration config;
    private final OperatorGuard operator;
    private final Clock clock = Clock.systemUTC();

    public OpsService(OpsRepository repository, DeadLetterQueue dlq, JobQueue queue, QueueConfiguration queueConfig,
                      OpsConfiguration config, OperatorGuard operator) {
        this.repository = repository;
        this.dlq = dlq;
        this.queue = queue;
        this.queueConfig = queueConfig;
        this.config = config;
        this.operator = operator;
    }

    /** The last {@code minutes} minutes, the current (partial) one included. */
    public SeriesView series(@Nullable String authorization, @Nullable String minutesParam) {
        operator.requireOperator(authorization);
        int minutes = intParam("minutes", minutesParam, DEFAULT_MINUTES, MAX_MINUTES);
        Instant now = clock.instant();
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(minutes - 1L, ChronoUnit.MINUTES);
        List<SeriesView.Point> points = repository.series(from, minutes);
        OpsRepository.Figures figures = repository.figures();
        return new SeriesView(60, from, now, threshold(figures), points);
    }

    public SummaryView summary(@Nullable String authorization) {
        operator.requireOperator(authorization);
        OpsRepository.Figures f = repository.figures();
        OptionalLong dlqDepth = dlq.depth();
        return new SummaryView(
                new SummaryView.Pool(f.available(), f.reserved(), f.availableSatoshis(), threshold(f)),
                new SummaryView.Funding(f.fundingAddress(), f.fundingSatoshis()),
                dlqDepth.isPresent() ? dlqDepth.getAsLong() : null,
                f.failedJobs());
    }

    public FailedJobsView failedJobs(@Nullable String authorization, @Nullable String limitParam) {
        operator.requireOperator(authorization);
        int limit = intParam("limit", limitParam, DEFAULT_LIMIT, MAX_LIMIT);
        return new FailedJobsView(repository.failedJobs(limit).stream().map(FailedJobsView.Job::of).toList());
    }

    /** Re-queues a failed job that holds no transaction and wakes the broadcaster for it. */
    public RetryView retry(@Nullable String authorization, String jobIdParam) {
        operator.requireOperator(authorization);
        JobId jobId = StatusService.parseJobId(jobIdParam);
        FailedJobs.RetryOutcome outcome = repository.retry(jobId);
        switch (outcome) {
            case REQUEUED -> {
                LOG.info("operator re-queued failed job {}", jobId);
                enqueue(jobId);
                return new RetryView(jobId.value(), "queued");
            }
            case NOT_FOUND -> throw new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + jobId);
            case NOT_FAILED -> throw new ApiException(ErrorCode.JOB_NOT_FAILED,
                    "job " + jobId + " is not failed; only failed jobs are retried");
            case HAS_TRANSACTION -> throw new ApiException(ErrorCode.JOB_NOT_RETRYABLE,
                    "job " + jobId + " holds a signed transaction that may still reach the chain; it is never re-queued");
            default -> throw new IllegalStateException(outcome.name());
        }
    }

    private void enqueue(JobId jobId) {
        // the row is the source of truth: a failed send leaves the job to the broadcaster's reconciler
        try {
            queue.enqueue(jobId).get(queueConfig.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("job {} re-queued but not sent to the queue ({}); the reconciler will deliver it", jobId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long threshold(OpsRepository.Figures figures) {
        return figures.alertThreshold() != null ? figures.alertThreshold() : config.poolAlertThreshold();
    }

    private static int intParam(String name, @Nullable String value, int defaultValue, int max) {
        if (value == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, name + " must be a whole number from 1 to " + max);
        }
        return n;
    }
}
