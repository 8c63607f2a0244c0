package io.raregen.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The local chain over HTTP: ARC's {@code GET /v1/tx/{txid}} and the admin export of every accepted transaction. */
final class ChainClient {
    /** One ARC status answer: the HTTP status and the JSON body. */
    record TxStatus(int httpStatus, JsonNode body) {
        String txStatus() {
            return body.path("txStatus").asText();
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ChainClient(String base) {
        this.base = base;
    }

    /** ARC's TransactionStatus for {@code txid} (404 when the chain does not know it). */
    TxStatus status(String txid) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/v1/tx/" + txid);
        return new TxStatus(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    /** {@code GET /admin/export}: blocks and every accepted transaction with the prevouts the chain checked it against. */
    JsonNode export() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/admin/export");
        if (r.statusCode() != 200) {
            throw new IOException("GET /admin/export answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
