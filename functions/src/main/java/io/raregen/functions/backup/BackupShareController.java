package io.raregen.functions.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.raregen.functions.web.EnvelopeDoc;
import io.raregen.core.http.Problem;
import io.raregen.functions.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The one encrypted key-backup share an identity may keep with the service (docs/BACKUP.md). */
@Controller("/v1/identities/{pubkey}/backup-share")
@Tag(name = "identities")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BackupShareController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackupShareService service;

    public BackupShareController(BackupShareService service) {
        this.service = service;
    }

    @Put(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Store (or replace) the key's encrypted backup share",
            description = "Body is an envelope signed by that key whose payload is {type:\"backup-share\", pubkey, share, nonce, "
                    + "createdAt}; share is a raregen-backup-share/1 object sealed on the client under the user's passphrase. "
                    + "A request must be signed later than the last accepted write for this key.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "200", description = "stored")
    @ApiResponse(responseCode = "400", description = "envelope rejected, PUBKEY_INVALID, PUBKEY_PATH_MISMATCH, BACKUP_SHARE_INVALID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "IDENTITY_UNKNOWN / IDENTITY_REVOKED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "BACKUP_SHARE_STALE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<String> put(@PathVariable String pubkey, @Nullable @Body byte[] body) {
        return HttpResponse.ok(encode(service.put(pubkey, RequestBodies.utf8(body)), false)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the key's encrypted backup share",
            description = "Open: the share is sealed under the user's passphrase and is one of several, useless alone.")
    @ApiResponse(responseCode = "200", description = "found")
    @ApiResponse(responseCode = "400", description = "PUBKEY_INVALID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "BACKUP_SHARE_NOT_FOUND",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<String> get(@PathVariable String pubkey) {
        return HttpResponse.ok(encode(service.get(pubkey), true)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Delete(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete the key's stored backup share",
            description = "Body is an envelope signed by that key whose payload is {type:\"backup-share-delete\", pubkey, nonce, createdAt}.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeDoc.class)))
    @ApiResponse(responseCode = "204", description = "deleted (also when none was stored)")
    @ApiResponse(responseCode = "400", description = "envelope rejected, PUBKEY_INVALID, PUBKEY_PATH_MISMATCH",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "IDENTITY_UNKNOWN",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "BACKUP_SHARE_STALE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Void> delete(@PathVariable String pubkey, @Nullable @Body byte[] body) {
        service.delete(pubkey, RequestBodies.utf8(body));
        return HttpResponse.noContent();
    }

    private static String encode(BackupShareService.Stored stored, boolean withShare) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pubkey", stored.key().hex());
        if (withShare) {
            n.set("share", stored.share());
        }
        n.put("storedAt", stored.storedAt().toString());
        return n.toString();
    }
}
