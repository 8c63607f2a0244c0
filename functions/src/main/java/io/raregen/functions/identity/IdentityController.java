package io.raregen.functions.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.functions.web.RequestBodies;
import io.raregen.functions.web.EnvelopeDoc;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;

/** Identity endpoints: register (proof of possession), look up, revoke (operator). */
@Controller("/v1/identities")
@Tag(name = "identities")
@ExecuteOn(TaskExecutors.BLOCKING)
public class IdentityController {

    private final IdentityService service;

    public IdentityController(IdentityService service) {
        this.service = service;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a public key",
            description = "Body is an envelope whose payload is {type:register, pubkey, nonce, createdAt} signed by that key. "
                    + "In admin registration mode an operator bearer token is also required.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "201", description = "registered", content = @Content(schema = @Schema(implementation = IdentityResponse.class)))
    @ApiResponse(responseCode = "200", description = "already registered and active", content = @Content(schema = @Schema(implementation = IdentityResponse.class)))
    @ApiResponse(responseCode = "400", description = "envelope rejected", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED (admin mode)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "IDENTITY_REVOKED / OPERATOR_DISABLED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<IdentityResponse> register(@Nullable @Body byte[] body,
                                                   @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        IdentityRegistry.Registration registration = service.register(RequestBodies.utf8(body), authorization);
        IdentityResponse response = IdentityResponse.of(registration.identity());
        return HttpResponse.<IdentityResponse>status(registration.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header("Location", "/v1/identities/" + response.pubkey())
                .body(response);
    }

    @Get(uri = "/{pubkey}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Look up a registered key")
    @ApiResponse(responseCode = "200", description = "found", content = @Content(schema = @Schema(implementation = IdentityResponse.class)))
    @ApiResponse(responseCode = "404", description = "IDENTITY_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public IdentityResponse find(@PathVariable String pubkey) {
        return IdentityResponse.of(service.find(pubkey));
    }

    @Post(uri = "/{pubkey}/revoke", produces = MediaType.APPLICATION_JSON, consumes = MediaType.ALL)
    @Operation(summary = "Revoke a key (operator)", description = "Requires 'Authorization: Bearer <raregen.admin.token>'. Idempotent.")
    @ApiResponse(responseCode = "200", description = "revoked", content = @Content(schema = @Schema(implementation = IdentityResponse.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "IDENTITY_NOT_FOUND", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public IdentityResponse revoke(@PathVariable String pubkey,
                                   @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        return IdentityResponse.of(service.revoke(pubkey, authorization));
    }

    /** An identity as the API shows it. */
    @Serdeable
    public record IdentityResponse(String pubkey, String status, Instant createdAt, @Nullable Instant revokedAt) {
        static IdentityResponse of(Identity identity) {
            return new IdentityResponse(identity.pubkey(), identity.status(), identity.createdAt(), identity.revokedAt());
        }
    }
}
