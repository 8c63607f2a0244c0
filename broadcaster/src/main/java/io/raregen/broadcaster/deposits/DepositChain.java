package io.raregen.broadcaster.deposits;

import io.raregen.broadcaster.funding.DiscoverySettings;
import io.raregen.broadcaster.funding.FundingDiscovery;
import io.raregen.broadcaster.funding.WhatsOnChainFundingDiscovery;
import io.raregen.core.keys.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The chain as the deposit watch reads it: unspent outputs of an address (with the transactions that made them)
 * and the tip height, from a WhatsOnChain-shaped API (WhatsOnChain itself; the local chain serves the same routes
 * under {@code /woc}).
 */
public class DepositChain {

    private final FundingDiscovery discovery;
    private final String infoUrl;
    private final DepositSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public DepositChain(DepositSettings settings, Network network) {
        DiscoverySettings d = new DiscoverySettings();
        d.setBaseUrl(settings.getChainUrl());
        d.setApiKey(settings.getApiKey());
        d.setTimeout(settings.getTimeout());
        this.discovery = new WhatsOnChainFundingDiscovery(d, network);
        String base = settings.getChainUrl().endsWith("/") ? settings.getChainUrl().substring(0, settings.getChainUrl().length() - 1)
                : settings.getChainUrl();
        this.infoUrl = base + "/" + (network == Network.MAIN ? "main" : "test") + "/chain/info";
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.getTimeout()).build();
    }

    public List<FundingDiscovery.Discovered> unspent(String address) {
        return discovery.unspent(address);
    }

    /** The height of the chain's tip. */
    public long tipHeight() {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(infoUrl)).timeout(settings.getTimeout()).GET();
        if (settings.getApiKey() != null && !settings.getApiKey().isBlank()) {
            b.header("woc-api-key", settings.getApiKey());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("CHAIN_INFO_HTTP_" + r.statusCode());
            }
            JsonNode n = json.readTree(r.body());
            if (!n.path("blocks").canConvertToLong()) {
                throw new IllegalStateException("CHAIN_INFO_BAD_RESPONSE: no blocks");
            }
            return n.path("blocks").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("CHAIN_INFO_UNREACHABLE: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
