package io.raregen.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.raregen.cli.support.Json;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.PublishRequest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The RareGen HTTP API as the CLI sees it (docs/API.md), over the JDK HttpClient. The same
 * client talks to the local stack and to AWS: only the base URL differs.
 */
public final class ApiClient {

    /** A successful answer: the HTTP status and the JSON body. */
    public record Response(int status, JsonNode body) {
    }

    private final URI base;
    private final String adminToken;
    private final HttpClient http;
    private final Duration timeout;
    private final String sessionToken;

    public ApiClient(String baseUrl, String adminToken, Duration timeout) {
        this(baseUrl, adminToken, timeout, null);
    }

    private ApiClient(String baseUrl, String adminToken, Duration timeout, String sessionToken) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(b);
        this.adminToken = adminToken;
        this.timeout = timeout;
        this.sessionToken = sessionToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The same API, with a session token sent on every request that is not an operator's (null: none). */
    public ApiClient withSession(String token) {
        return new ApiClient(base.toString(), adminToken, timeout, token);
    }

    public boolean hasSession() {
        return sessionToken != null;
    }

    public URI base() {
        return base;
    }

    public Response register(Envelope e) throws ApiException {
        // signed in: the session binds the key to the account; else the operator token, required in admin
        // registration mode and ignored in open mode
        return post("/v1/identities", envelopeJson(e), !hasSession());
    }

    public Response publish(Envelope e) throws ApiException {
        return publish(e, PublishMode.RECORD);
    }

    /** POST /v1/publish; a mode other than the default goes beside the envelope as {@code "mode"} (not signed). */
    public Response publish(Envelope e, PublishMode mode) throws ApiException {
        String body = envelopeJson(e);
        if (mode != PublishMode.RECORD) {
            body = "{\"" + PublishRequest.MODE_FIELD + "\":\"" + mode.wire() + "\"," + body.substring(1);
        }
        return post("/v1/publish", body, false);
    }

    public JsonNode identity(String pubkeyHex) throws ApiException {
        return get("/v1/identities/" + enc(pubkeyHex), false).body();
    }

    /** PUT /v1/identities/{pubkey}/backup-share with an envelope of type backup-share. */
    public Response storeBackupShare(Envelope e) throws ApiException {
        return send(request(backupSharePath(e.pubkey()), false)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(envelopeJson(e), StandardCharsets.UTF_8)).build());
    }

    public JsonNode backupShare(String pubkeyHex) throws ApiException {
        return get(backupSharePath(pubkeyHex), false).body();
    }

    /** DELETE /v1/identities/{pubkey}/backup-share with an envelope of type backup-share-delete. */
    public Response deleteBackupShare(Envelope e) throws ApiException {
        return send(request(backupSharePath(e.pubkey()), false)
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(envelopeJson(e), StandardCharsets.UTF_8)).build());
    }

    private static String backupSharePath(String pubkeyHex) {
        return "/v1/identities/" + enc(pubkeyHex) + "/backup-share";
    }

    public JsonNode job(String jobId) throws ApiException {
        return get("/v1/jobs/" + enc(jobId), false).body();
    }

    public JsonNode proof(String jobId) throws ApiException {
        return get("/v1/jobs/" + enc(jobId) + "/proof", false).body();
    }

    public JsonNode receipt(String jobId) throws ApiException {
        return get("/v1/jobs/" + enc(jobId) + "/receipt", false).body();
    }

    public JsonNode batch(String batchId) throws ApiException {
        return get("/v1/batches/" + enc(batchId), false).body();
    }

    public JsonNode pool() throws ApiException {
        return get("/v1/pool", true).body();
    }

    public JsonNode health() throws ApiException {
        return get("/health", false).body();
    }

    /** The envelope's canonical JSON, which the service stores once with the job's own columns (docs/API.md). */
    public static String envelopeJson(Envelope e) {
        return e.toJson();
    }

    public Response get(String path, boolean admin) throws ApiException {
        return send(request(path, admin).GET().build());
    }

    public Response put(String path, String jsonBody, boolean admin) throws ApiException {
        return send(request(path, admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    public Response delete(String path, boolean admin) throws ApiException {
        return send(request(path, admin).DELETE().build());
    }

    public Response post(String path, String jsonBody, boolean admin) throws ApiException {
        return send(request(path, admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder request(String path, boolean admin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        if (admin && adminToken != null) {
            b.header("Authorization", "Bearer " + adminToken);
        } else if (sessionToken != null) {
            b.header("Authorization", "Bearer " + sessionToken);
        }
        return b;
    }

    private Response send(HttpRequest req) throws ApiException {
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ApiException(0, "API_TIMEOUT", "no answer from " + req.uri() + " within " + timeout.toSeconds() + " s", null);
        } catch (ConnectException e) {
            throw new ApiException(0, "API_UNREACHABLE", "cannot connect to " + base + " (is the API running? try `./raregen local`)", null);
        } catch (IOException e) {
            throw new ApiException(0, "API_UNREACHABLE", "request to " + req.uri() + " failed: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "INTERRUPTED", "interrupted", null);
        }
        JsonNode body = parse(resp.body());
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
            return new Response(status, body);
        }
        String code = Json.text(body, "code");
        String detail = Json.text(body, "detail");
        if (detail == null) {
            detail = Json.text(body, "title");
        }
        if (detail == null) {
            detail = Json.text(body, "message");
        }
        if (detail == null) {
            detail = resp.body() == null || resp.body().isBlank() ? "(no body)" : abbreviate(resp.body());
        }
        throw new ApiException(status, code == null ? "HTTP_" + status : code,
                req.method() + " " + req.uri().getPath() + " -> " + status + ": " + detail, body);
    }

    private static JsonNode parse(String s) {
        if (s == null || s.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(s);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
