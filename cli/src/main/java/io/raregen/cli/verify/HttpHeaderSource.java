package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;

/**
 * Block headers from a source the user chooses (a block explorer or the local chain), never from
 * the API being checked. The URL may contain {@code {hash}} and {@code {height}}; otherwise the
 * block hash is appended as a path segment. The answer may be the 80-byte header in hex, JSON with
 * {@code header}/{@code blockHeader} hex, or JSON with the header fields (WhatsOnChain style:
 * version, previousblockhash, merkleroot, time, bits, nonce), from which the header is rebuilt.
 */
public final class HttpHeaderSource implements HeaderSource {
    private final String template;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpHeaderSource(String template) {
        this.template = template;
    }

    @Override
    public Optional<BlockRef> header(String blockHash, Long blockHeight) throws Exception {
        String url = template.contains("{hash}") || template.contains("{height}")
                ? template.replace("{hash}", blockHash).replace("{height}", blockHeight == null ? "" : blockHeight.toString())
                : (template.endsWith("/") ? template : template + "/") + blockHash;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url);
        }
        return Optional.of(parse(r.body().strip()));
    }

    static BlockRef parse(String body) throws Exception {
        if (body.matches("\"?[0-9a-fA-F]{160}\"?")) {
            return BlockRef.of(new BlockHeader(Hashes.unhex(body.replace("\"", ""))));
        }
        JsonNode n = Json.MAPPER.readTree(body);
        for (String f : new String[] {"header", "blockHeader", "rawHeader"}) {
            String h = Json.text(n, f);
            if (h != null && h.length() == 160) {
                return BlockRef.of(new BlockHeader(Hashes.unhex(h)));
            }
        }
        String prev = Json.text(n, "previousblockhash") != null ? Json.text(n, "previousblockhash") : Json.text(n, "prevHash");
        String root = Json.text(n, "merkleroot") != null ? Json.text(n, "merkleroot") : Json.text(n, "merkleRoot");
        if (root == null) {
            throw new IllegalArgumentException("the answer has neither a header nor a merkle root");
        }
        if (!n.has("time") || !n.has("bits") || !n.has("nonce") || !n.has("version")) {
            // a source that states the root without the header fields (e.g. the local chain's /admin/blocks/{hash})
            String hash = Json.text(n, "hash");
            return new BlockRef(hash, Hashes.fromDisplayHex(root), false);
        }
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) n.get("version").asLong());
        b.put(prev == null ? new byte[32] : Hashes.fromDisplayHex(prev));
        b.put(Hashes.fromDisplayHex(root));
        b.putInt((int) n.get("time").asLong());
        JsonNode bits = n.get("bits");
        b.putInt(bits.isTextual() ? (int) Long.parseLong(bits.asText(), 16) : (int) bits.asLong());
        b.putInt((int) n.get("nonce").asLong());
        return BlockRef.of(new BlockHeader(b.array()));
    }

    @Override
    public String describe() {
        return template;
    }

}
