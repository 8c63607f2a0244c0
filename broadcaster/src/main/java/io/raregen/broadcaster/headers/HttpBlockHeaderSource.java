package io.raregen.broadcaster.headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.proof.BlockHeader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Headers over HTTP from URL templates: the local chain's {@code /admin/blocks/{hash}} (JSON with the
 * 80-byte {@code header} in hex) or WhatsOnChain's {@code /block/hash/{hash}} (JSON with the header
 * fields, from which the 80 bytes are rebuilt). A 404 means the source does not know the block.
 */
public final class HttpBlockHeaderSource implements BlockHeaderSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String hashTemplate;
    private final String heightTemplate;
    private final Duration timeout;
    private final HttpClient http;

    public HttpBlockHeaderSource(String hashTemplate, String heightTemplate, Duration timeout) {
        this.hashTemplate = hashTemplate;
        this.heightTemplate = heightTemplate;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Optional<SourcedHeader> byHash(String blockHash) throws IOException {
        return get(hashTemplate.replace("{hash}", blockHash)).map(HttpBlockHeaderSource::parse);
    }

    @Override
    public Optional<String> hashAtHeight(long height) throws IOException {
        if (heightTemplate == null || heightTemplate.isBlank()) {
            throw new IOException("no raregen.headers.height-url");
        }
        return get(heightTemplate.replace("{height}", Long.toString(height))).map(n -> parse(n).header().hash());
    }

    @Override
    public String describe() {
        return hashTemplate;
    }

    private Optional<JsonNode> get(String url) throws IOException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return Optional.of(JSON.readTree(r.body()));
    }

    /** The header from {@code header} hex or from the explorer fields; checked against a stated {@code hash}. */
    static SourcedHeader parse(JsonNode n) {
        BlockHeader h;
        String hex = n.path("header").asText("");
        if (hex.length() == 160) {
            h = BlockHeader.fromHex(hex.toLowerCase());
        } else {
            if (!n.hasNonNull("merkleroot") || !n.has("time") || !n.has("bits") || !n.has("nonce") || !n.has("version")) {
                throw new IllegalArgumentException("the answer holds neither a header nor its fields");
            }
            JsonNode bits = n.get("bits");
            h = BlockHeader.fromFields(n.get("version").asLong(), n.path("previousblockhash").asText(null),
                    n.get("merkleroot").asText(), n.get("time").asLong(),
                    bits.isTextual() ? Long.parseLong(bits.asText(), 16) : bits.asLong(), n.get("nonce").asLong());
        }
        String stated = n.path("hash").asText("");
        if (!stated.isEmpty() && !stated.equalsIgnoreCase(h.hash())) {
            throw new IllegalArgumentException("the source's header hashes to " + h.hash() + ", not its stated " + stated);
        }
        return new SourcedHeader(h, n.has("height") ? n.get("height").asLong() : null);
    }
}
