package io.raregen.localchain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A minimal ARC client for the tests: real HTTP against the in-process chain. */
final class Arc {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Arc() {
    }

    static Response post(LocalChain chain, String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return post(chain, path, contentType, body, Duration.ofSeconds(30), headers);
    }

    static Response post(LocalChain chain, String path, String contentType, byte[] body, Duration timeout,
                         String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(chain.arcUrl() + path)).timeout(timeout)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static Response get(LocalChain chain, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(chain.arcUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    static Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Response(r.statusCode(), body, r);
    }

    /** POST /v1/tx with one transaction as JSON {"rawTx": hex}. */
    static Response submit(LocalChain chain, byte[] tx, String... headers) throws IOException, InterruptedException {
        return post(chain, "/v1/tx", "application/json",
                JSON.writeValueAsBytes(java.util.Map.of("rawTx", Txs.hex(tx))), headers);
    }

    /** POST /v1/txs with hex lines. */
    static Response submitAll(LocalChain chain, List<byte[]> txs, String... headers) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        for (byte[] t : txs) {
            sb.append(Txs.hex(t)).append('\n');
        }
        return post(chain, "/v1/txs", "text/plain", sb.toString().getBytes(), headers);
    }
}
