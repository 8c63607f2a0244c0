package io.raregen.functions.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Read-only status endpoints: jobs, batches, the pool (operator) and health. */
@Controller
@Tag(name = "status")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusController {

    private final StatusService service;

    public StatusController(StatusService service) {
        this.service = service;
    }

    @Get(uri = "/v1/jobs/{jobId}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "A job's status, txid, batch and confirmation")
    @ApiResponse(responseCode = "200", description = "found", content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "JOB_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobView job(@PathVariable String jobId) {
        return service.job(jobId);
    }

    @Get(uri = "/v1/batches/{batchId}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "A broadcaster batch and its jobs in order")
    @ApiResponse(responseCode = "200", description = "found", content = @Content(schema = @Schema(implementation = BatchView.class)))
    @ApiResponse(responseCode = "400", description = "BATCH_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "BATCH_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BatchView batch(@PathVariable String batchId) {
        return service.batch(batchId);
    }

    @Get(uri = "/v1/pool", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "UTXO pool depth and conservation figures (operator)",
            description = "Requires 'Authorization: Bearer <raregen.admin.token>'.")
    @ApiResponse(responseCode = "200", description = "report", content = @Content(schema = @Schema(implementation = PoolReport.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "OPERATOR_DISABLED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PoolReport pool(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.pool(authorization);
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Database and queue reachability")
    @ApiResponse(responseCode = "200", description = "both reachable", content = @Content(schema = @Schema(implementation = Health.class)))
    @ApiResponse(responseCode = "503", description = "one is not", content = @Content(schema = @Schema(implementation = Health.class)))
    public HttpResponse<Health> health() {
        Health health = service.health();
        return HttpResponse.status("UP".equals(health.status()) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
