package io.raregen.broadcaster.deposits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.keys.Network;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The chain as the deposit watch reads it, from a WhatsOnChain-shaped API (WhatsOnChain itself; the local chain
 * serves the same routes under {@code /woc}): {@code {url}/{main|test}/address/{a}/unspent} and
 * {@code /chain/info}. Only outpoints, values and heights: crediting and moving a payment need nothing more.
 */
public class DepositChain {

    /** An unspent output paid to an address; {@code height} 0 while unmined. */
    public record Payment(Outpoint outpoint, long satoshis, int height) {
    }

    private final String base;
    private final DepositSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public DepositChain(DepositSettings settings, Network network) {
        String url = settings.getChainUrl().endsWith("/")
                ? settings.getChainUrl().substring(0, settings.getChainUrl().length() - 1) : settings.getChainUrl();
        this.base = url + "/" + (network == Network.MAIN ? "main" : "test");
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.getTimeout()).build();
    }

    public List<Payment> unspent(String address) {
        List<Payment> out = new ArrayList<>();
        for (JsonNode u : get("/address/" + address + "/unspent")) {
            out.add(new Payment(new Outpoint(Txid.fromHex(u.path("tx_hash").asText()), u.path("tx_pos").asInt()),
                    u.path("value").asLong(), u.path("height").asInt()));
        }
        return out;
    }

    /** The height of the chain's tip. */
    public long tipHeight() {
        JsonNode n = get("/chain/info");
        if (!n.path("blocks").canConvertToLong()) {
            throw new IllegalStateException("CHAIN_INFO_BAD_RESPONSE: no blocks");
        }
        return n.path("blocks").asLong();
    }

    private JsonNode get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.getTimeout()).GET();
        if (settings.getApiKey() != null && !settings.getApiKey().isBlank()) {
            b.header("woc-api-key", settings.getApiKey());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("CHAIN_HTTP_" + r.statusCode() + ": GET " + path);
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("CHAIN_UNREACHABLE: GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
