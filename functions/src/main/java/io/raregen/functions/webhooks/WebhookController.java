package io.raregen.functions.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.core.http.Problem;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.EnvelopeDoc;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/** Webhooks: register, list, delete, dead letters, replay (docs/WEBHOOKS.md). */
@Controller("/v1/webhooks")
@Tag(name = "webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookService service;

    public WebhookController(WebhookService service) {
        this.service = service;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook",
            description = "Body is an envelope signed by a registered key whose payload is {type:\"webhook-register\", pubkey, url, "
                    + "nonce, createdAt}. The answer holds the signing secret; it is shown only this once.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "201", description = "registered")
    @ApiResponse(responseCode = "400", description = "envelope rejected, WEBHOOK_URL_INVALID, WEBHOOK_URL_NOT_HTTPS, WEBHOOK_URL_FORBIDDEN",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "IDENTITY_UNKNOWN / IDENTITY_REVOKED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "WEBHOOK_LIMIT",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<String> register(@Nullable @Body byte[] body) {
        WebhookService.Registered r = service.register(RequestBodies.utf8(body));
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id().toString());
        n.put("url", r.url());
        n.put("secret", r.secret());
        n.put("createdAt", r.createdAt().toString());
        return HttpResponse.<String>created(n.toString(), URI.create("/v1/webhooks/" + r.id()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Post(value = "/list", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "List the key's webhooks (no secrets)",
            description = "Body is an envelope whose payload is {type:\"webhook-list\", pubkey, nonce, createdAt}.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "200", description = "the key's webhooks, active and disabled")
    public HttpResponse<String> list(@Nullable @Body byte[] body) {
        ArrayNode a = JSON.createArrayNode();
        for (WebhookService.Listed l : service.list(RequestBodies.utf8(body))) {
            ObjectNode n = a.addObject();
            n.put("id", l.id().toString());
            n.put("url", l.url());
            n.put("createdAt", l.createdAt().toString());
            n.put("status", l.disabledAt() == null ? "active" : "disabled");
            if (l.disabledAt() != null) {
                n.put("disabledAt", l.disabledAt().toString());
                n.put("disabledReason", l.disabledReason());
            }
            n.put("deadLetters", l.dead());
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("webhooks", a);
        return HttpResponse.ok(out.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Post(value = "/{id}/delete", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete (disable) a webhook",
            description = "Body is an envelope whose payload is {type:\"webhook-delete\", pubkey, webhookId, nonce, createdAt}.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "204", description = "disabled (also when it already was)")
    @ApiResponse(responseCode = "404", description = "WEBHOOK_NOT_FOUND",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Void> delete(@PathVariable String id, @Nullable @Body byte[] body) {
        service.delete(id, RequestBodies.utf8(body));
        return HttpResponse.noContent();
    }

    @Get(value = "/{id}/dead-letters", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The webhook's dead letters, oldest first",
            description = "Deliveries given up after 24 hours of retries. No secret is shown.")
    @ApiResponse(responseCode = "200", description = "dead letters")
    @ApiResponse(responseCode = "404", description = "WEBHOOK_NOT_FOUND",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<String> deadLetters(@PathVariable String id, @Nullable @QueryValue Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "limit must be between 1 and 1000");
        }
        ArrayNode a = JSON.createArrayNode();
        for (WebhookService.DeadLetter d : service.deadLetters(id, n)) {
            ObjectNode o = a.addObject();
            o.put("id", d.id());
            o.put("eventId", d.eventId());
            o.put("jobId", d.jobId());
            o.put("attempts", d.attempts());
            if (d.lastStatusCode() != null) {
                o.put("lastStatusCode", d.lastStatusCode());
            }
            if (d.lastError() != null) {
                o.put("lastError", d.lastError());
            }
            if (d.firstAttemptAt() != null) {
                o.put("firstAttemptAt", d.firstAttemptAt().toString());
            }
            try {
                o.set("event", JSON.readTree(d.body()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a stored webhook body is not JSON", e);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("deadLetters", a);
        return HttpResponse.ok(out.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Post(value = "/{id}/replay", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Send the webhook's dead letters again",
            description = "Body is an envelope whose payload is {type:\"webhook-replay\", pubkey, webhookId, nonce, createdAt}. "
                    + "Dead deliveries go back to pending with attempts reset and a fresh 24-hour window.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "200", description = "{replayed: n}")
    @ApiResponse(responseCode = "404", description = "WEBHOOK_NOT_FOUND",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<String> replay(@PathVariable String id, @Nullable @Body byte[] body) {
        int n = service.replay(id, RequestBodies.utf8(body));
        return HttpResponse.ok(JSON.createObjectNode().put("replayed", n).toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
