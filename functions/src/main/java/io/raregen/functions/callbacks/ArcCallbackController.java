package io.raregen.functions.callbacks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.functions.web.RequestBodies;
import io.raregen.core.http.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /v1/callbacks/arc: ARC's status callbacks (set by the broadcaster's X-CallbackUrl). */
@Controller
@Tag(name = "verification")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ArcCallbackController {

    private final ArcCallbackService service;

    public ArcCallbackController(ArcCallbackService service) {
        this.service = service;
    }

    @Post(uri = "/v1/callbacks/arc", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an ARC status callback",
            description = "For ARC only: Authorization: Bearer <the X-CallbackToken the broadcaster sent>. One callback or ARC's batched form; stored idempotently and applied by the broadcaster.")
    @ApiResponse(responseCode = "200", description = "stored", content = @Content(schema = @Schema(implementation = ArcCallbackService.Receipt.class)))
    @ApiResponse(responseCode = "400", description = "CALLBACK_INVALID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "CALLBACK_UNAUTHORIZED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "CALLBACKS_DISABLED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ArcCallbackService.Receipt receive(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                              @Nullable @Body byte[] body) {
        return service.receive(authorization, RequestBodies.utf8(body));
    }
}
