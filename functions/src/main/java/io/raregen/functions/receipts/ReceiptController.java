package io.raregen.functions.receipts;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** GET /v1/jobs/{jobId}/receipt and GET /v1/service-keys. */
@Controller
@Tag(name = "receipts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReceiptController {

    private final ReceiptService service;

    public ReceiptController(ReceiptService service) {
        this.service = service;
    }

    @Get(uri = "/v1/jobs/{jobId}/receipt", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The job's receipt: signed acceptance, then the transaction, then a BEEF with the block header")
    @ApiResponse(responseCode = "200", description = "receipt", content = @Content(schema = @Schema(implementation = ReceiptView.class)))
    @ApiResponse(responseCode = "400", description = "JOB_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "RECEIPT_UNAVAILABLE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReceiptView receipt(@PathVariable String jobId) {
        return service.receipt(jobId);
    }

    @Get(uri = "/v1/service-keys", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The receipt keys: current and retired, with key ids and validity")
    @ApiResponse(responseCode = "200", description = "keys", content = @Content(schema = @Schema(implementation = ServiceKeysView.class)))
    public ServiceKeysView serviceKeys() {
        return service.serviceKeys();
    }
}
