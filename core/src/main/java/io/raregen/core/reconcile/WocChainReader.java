package io.raregen.core.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@link ChainReader} over a WhatsOnChain-shaped API ({@code https://api.whatsonchain.com/v1/bsv}; the local chain
 * serves the same routes under {@code /woc}): {@code {url}/{net}/tx/hash/{txid}}, {@code /tx/{txid}/hex} and
 * {@code /tx/{txid}/{vout}/spent} (404: unknown, or unspent). The API key, if any, goes in the {@code woc-api-key}
 * header (as the deposit watch sends it) and is never part of a message.
 */
public final class WocChainReader implements ChainReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final int attempts;

    /**
     * @param url     the API root, e.g. {@code https://api.whatsonchain.com/v1/bsv} or {@code http://127.0.0.1:9090/woc}
     * @param network {@code main} or {@code test}
     */
    public WocChainReader(String url, String network, String apiKey, Duration timeout) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = u + "/" + network;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.attempts = 3;
    }

    @Override
    public Optional<ChainTx> transaction(Txid txid) {
        Optional<String> body = get("/tx/hash/" + txid.hex());
        if (body.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = json(body.get(), "/tx/hash");
        if (!txid.hex().equals(n.path("txid").asText())) {
            throw new ChainException("CHAIN_BAD_RESPONSE", "GET /tx/hash/" + txid.hex() + " answered another txid", null);
        }
        JsonNode h = n.path("blockheight");
        Long height = h.canConvertToLong() && h.asLong() > 0 ? h.asLong() : null;
        String hash = n.path("blockhash").isTextual() && !n.path("blockhash").asText().isEmpty() ? n.path("blockhash").asText() : null;
        return Optional.of(new ChainTx(txid, height, height == null ? null : hash));
    }

    @Override
    public byte[] rawTransaction(Txid txid) {
        String body = get("/tx/" + txid.hex() + "/hex").orElseThrow(() ->
                new ChainException("CHAIN_BAD_RESPONSE", "GET /tx/" + txid.hex() + "/hex: unknown transaction", null));
        try {
            return HexFormat.of().parseHex(body.trim());
        } catch (IllegalArgumentException e) {
            throw new ChainException("CHAIN_BAD_RESPONSE", "GET /tx/" + txid.hex() + "/hex: not hex", e);
        }
    }

    @Override
    public Optional<Txid> spender(Outpoint outpoint) {
        String path = "/tx/" + outpoint.txid().hex() + "/" + outpoint.vout() + "/spent";
        Optional<String> body = get(path);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = json(body.get(), path);
        try {
            return Optional.of(Txid.fromHex(n.path("txid").asText()));
        } catch (IllegalArgumentException e) {
            throw new ChainException("CHAIN_BAD_RESPONSE", "GET " + path + ": no spending txid", e);
        }
    }

    private static JsonNode json(String body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ChainException("CHAIN_BAD_RESPONSE", "GET " + what + ": not JSON", e);
        }
    }

    /** The body of a 2xx answer, empty on 404; retries 429/5xx and I/O errors a few times. */
    private Optional<String> get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("woc-api-key", apiKey);
        }
        HttpRequest req = b.build();
        ChainException last = null;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                sleep(250L << i);
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                int s = r.statusCode();
                if (s == 404) {
                    return Optional.empty();
                }
                if (s / 100 == 2) {
                    return Optional.of(r.body());
                }
                last = new ChainException("CHAIN_HTTP_" + s, "GET " + path + " answered " + s, null);
                if (s != 429 && s / 100 != 5) {
                    throw last;
                }
            } catch (IOException e) {
                last = new ChainException("CHAIN_UNREACHABLE", "GET " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("CHAIN_UNREACHABLE", "interrupted", e);
            }
        }
        throw last;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("CHAIN_UNREACHABLE", "interrupted", e);
        }
    }
}
