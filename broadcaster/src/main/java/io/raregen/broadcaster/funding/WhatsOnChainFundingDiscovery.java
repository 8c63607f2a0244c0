package io.raregen.broadcaster.funding;

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
 * {@link FundingDiscovery} through WhatsOnChain: {@code GET {base}/{net}/address/{address}/unspent}
 * ({@code [{"height","tx_pos","tx_hash","value"}]}), then {@code GET {base}/{net}/tx/{txid}/hex} for each.
 * Every output found is still verified by {@link FundingService#importOutput} before it joins the pool.
 */
public final class WhatsOnChainFundingDiscovery implements FundingDiscovery {
    private final DiscoverySettings settings;
    private final String base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public WhatsOnChainFundingDiscovery(DiscoverySettings settings, Network network) {
        this.settings = settings;
        String b = settings.getBaseUrl().endsWith("/") ? settings.getBaseUrl().substring(0, settings.getBaseUrl().length() - 1)
                : settings.getBaseUrl();
        this.base = b + "/" + (network == Network.MAIN ? "main" : "test");
        this.http = HttpClient.newBuilder().connectTimeout(settings.getTimeout()).build();
    }

    @Override
    public List<Discovered> unspent(String address) {
        JsonNode list = getJson("/address/" + address + "/unspent");
        List<Discovered> out = new ArrayList<>();
        for (JsonNode u : list) {
            Txid txid = Txid.fromHex(u.path("tx_hash").asText());
            String raw = get("/tx/" + txid.hex() + "/hex").trim();
            out.add(new Discovered(new Outpoint(txid, u.path("tx_pos").asInt()), u.path("value").asLong(),
                    u.path("height").asInt(), raw));
        }
        return out;
    }

    private JsonNode getJson(String path) {
        try {
            return json.readTree(get(path));
        } catch (IOException e) {
            throw new IllegalStateException("WOC_BAD_RESPONSE: " + path + ": " + e.getMessage(), e);
        }
    }

    private String get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.getTimeout()).GET();
        if (settings.getApiKey() != null && !settings.getApiKey().isBlank()) {
            b.header("woc-api-key", settings.getApiKey());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("WOC_HTTP_" + r.statusCode() + ": GET " + path);
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("WOC_UNREACHABLE: GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
