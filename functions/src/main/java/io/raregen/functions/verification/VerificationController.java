package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.functions.web.RequestBodies;
import io.raregen.functions.web.EnvelopeDoc;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /v1/verify and GET /v1/jobs/{jobId}/proof. */
@Controller
@Tag(name = "verification")
@ExecuteOn(TaskExecutors.BLOCKING)
public class VerificationController {

    private final VerificationService service;

    public VerificationController(VerificationService service) {
        this.service = service;
    }

    @Post(uri = "/v1/verify", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify an envelope without storing anything",
            description = "Always 200 for a JSON request: valid=true with the decoded fields, or valid=false with the failure code. "
                    + "The payload type is taken from ?type=, else publish, else register.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "200", description = "verification result", content = @Content(schema = @Schema(implementation = VerifyResult.class)))
    @ApiResponse(responseCode = "415", description = "UNSUPPORTED_MEDIA_TYPE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VerifyResult verify(@Nullable @Body byte[] body, @Nullable @QueryValue String type) {
        return service.verify(RequestBodies.utf8(body), type);
    }

    @Get(uri = "/v1/jobs/{jobId}/proof", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Publication proof: signed transaction, spent outputs, envelope, merkle path")
    @ApiResponse(responseCode = "200", description = "proof", content = @Content(schema = @Schema(implementation = ProofView.class)))
    @ApiResponse(responseCode = "400", description = "JOB_ID_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "NOT_YET_SIGNED / JOB_FAILED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProofView proof(@PathVariable String jobId) {
        return service.proof(jobId);
    }
}
