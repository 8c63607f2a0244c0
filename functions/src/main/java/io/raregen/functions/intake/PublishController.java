package io.raregen.functions.intake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.functions.web.RequestBodies;
import io.raregen.functions.receipts.AcceptanceReceipt;
import io.raregen.functions.web.EnvelopeDoc;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /v1/publish: decode, hand to {@link PublishService}, encode. */
@Controller
@Tag(name = "intake")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PublishController {

    private final PublishService service;

    public PublishController(PublishService service) {
        this.service = service;
    }

    @Post(uri = "/v1/publish", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a signed record",
            description = "Verifies the envelope, stores a queued job and wakes the broadcaster. An optional \"mode\" beside the envelope (\"record\", the default, or \"anchor\") says how it is published. A retry of the same envelope returns the same job with 200.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "202", description = "accepted", content = @Content(schema = @Schema(implementation = PublishResponse.class)))
    @ApiResponse(responseCode = "200", description = "retry of an accepted request", content = @Content(schema = @Schema(implementation = PublishResponse.class)))
    @ApiResponse(responseCode = "400", description = "envelope rejected; MODE_INVALID for a mode other than record or anchor", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "SESSION_INVALID (a session token was sent and is dead)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "402", description = "CREDITS_EXHAUSTED (the key's account has no credit left)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "IDENTITY_UNKNOWN / IDENTITY_REVOKED / IDENTITY_OTHER_ACCOUNT", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "NONCE_REUSED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE / BODY_TOO_LARGE", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "415", description = "UNSUPPORTED_MEDIA_TYPE / CHARSET_UNSUPPORTED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "429", description = "RATE_LIMITED (the key's publish quota; Retry-After in seconds)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<PublishResponse> publish(@Nullable @Body byte[] body,
                                                 @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        PublishService.PublishOutcome outcome = service.publish(RequestBodies.utf8(body), authorization);
        PublishResponse response = new PublishResponse(outcome.jobId().value(), outcome.status(), outcome.mode().wire(),
                "/v1/jobs/" + outcome.jobId().value(), outcome.receipt());
        return HttpResponse.<PublishResponse>status(outcome.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .header("Location", response.statusUrl())
                .body(response);
    }

    /**
     * Answer to an accepted publish; {@code mode} is how the job is published ({@code record} or {@code anchor}),
     * {@code receipt} is the service's signed acceptance (see GET /v1/service-keys).
     */
    @Serdeable
    public record PublishResponse(String jobId, String status, String mode, String statusUrl, @Nullable AcceptanceReceipt receipt) {
    }
}
