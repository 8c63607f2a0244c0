package io.raregen.functions.ops;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Operator history for the dashboard (operator token): per-minute series, the figures of now, failed
 * jobs and their retry. Query values arrive as text so a bad one gets our own code, not the framework's.
 */
@Controller("/v1/ops")
@Tag(name = "ops")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpsController {

    private final OpsService service;

    public OpsController(OpsService service) {
        this.service = service;
    }

    @Get(uri = "/series", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Per-minute throughput, latency percentiles, batches and pool depth (operator)",
            description = "minutes: 1..10080, default 1440. Requires 'Authorization: Bearer <raregen.admin.token>'.")
    @ApiResponse(responseCode = "200", description = "series", content = @Content(schema = @Schema(implementation = SeriesView.class)))
    @ApiResponse(responseCode = "400", description = "PARAMETER_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "OPERATOR_DISABLED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SeriesView series(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                             @Nullable @QueryValue String minutes) {
        return service.series(authorization, minutes);
    }

    @Get(uri = "/summary", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Pool, funding, DLQ depth and failed-job count now (operator)")
    @ApiResponse(responseCode = "200", description = "summary", content = @Content(schema = @Schema(implementation = SummaryView.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "OPERATOR_DISABLED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SummaryView summary(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.summary(authorization);
    }

    @Get(uri = "/failed-jobs", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Failed jobs, newest first (operator)", description = "limit: 1..500, default 50.")
    @ApiResponse(responseCode = "200", description = "jobs", content = @Content(schema = @Schema(implementation = FailedJobsView.class)))
    @ApiResponse(responseCode = "400", description = "PARAMETER_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public FailedJobsView failedJobs(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                     @Nullable @QueryValue String limit) {
        return service.failedJobs(authorization, limit);
    }

    @Post(uri = "/jobs/{jobId}/retry", produces = MediaType.APPLICATION_JSON, consumes = MediaType.ALL)
    @Operation(summary = "Re-queue a failed job that holds no transaction (operator)")
    @ApiResponse(responseCode = "202", description = "queued again", content = @Content(schema = @Schema(implementation = RetryView.class)))
    @ApiResponse(responseCode = "400", description = "JOB_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "JOB_NOT_FAILED, JOB_NOT_RETRYABLE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<RetryView> retry(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                         @PathVariable String jobId) {
        return HttpResponse.accepted().body(service.retry(authorization, jobId));
    }
}
