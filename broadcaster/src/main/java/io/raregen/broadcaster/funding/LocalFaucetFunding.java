package io.raregen.broadcaster.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.keys.Network;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Local runs only ({@code raregen.funding.local-faucet.enabled=true}, never on main net): at start, when
 * the funding pool holds less than {@code min-sats}, asks the local chain's faucet ({@code POST
 * {raregen.arc.url}/admin/faucet}) for {@code satoshis} to the funding address and imports the output
 * through the same verification as a manual import.
 */
@Singleton
@Requires(property = "raregen.funding.local-faucet.enabled", value = "true")
public class LocalFaucetFunding {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFaucetFunding.class);

    private final FundingService funding;
    private final UtxoPool pool;
    private final String arcUrl;
    private final long satoshis;
    private final long minSats;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    public LocalFaucetFunding(FundingService funding, UtxoPool pool, ArcSettings arc,
                              @Value("${raregen.funding.local-faucet.satoshis:100000000}") long satoshis,
                              @Value("${raregen.funding.local-faucet.min-sats:1000000}") long minSats) {
        this.funding = funding;
        this.pool = pool;
        String arcUrl = arc.getUrl();
        this.arcUrl = arcUrl.endsWith("/") ? arcUrl.substring(0, arcUrl.length() - 1) : arcUrl;
        this.satoshis = satoshis;
        this.minSats = minSats;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            fundIfLow();
        } catch (RuntimeException e) {
            LOG.warn("local faucet funding failed: {}", e.getMessage());
        }
    }

    /** Returns the satoshis imported (0 when funding was already sufficient). */
    public long fundIfLow() {
        if (funding.network() == Network.MAIN) {
            throw new IllegalStateException("LOCAL_FAUCET_REFUSED: the local faucet is not for main net");
        }
        if (pool.depth().fundingAvailableSats() >= minSats) {
            return 0;
        }
        String body = "{\"address\":\"" + funding.fundingAddress().address() + "\",\"satoshis\":" + satoshis + "}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(arcUrl + "/admin/faucet"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("faucet answered HTTP " + r.statusCode() + ": " + r.body());
            }
            JsonNode j = new ObjectMapper().readTree(r.body());
            FundingService.Imported imported = funding.importOutput(j.get("txid").asText() + ":" + j.path("vout").asInt(0),
                    j.get("rawTx").asText(), 1);
            LOG.info("local faucet funded {} sat to {}", imported.satoshis(), funding.fundingAddress().address());
            return imported.satoshis();
        } catch (IOException e) {
            throw new IllegalStateException("local faucet unreachable at " + arcUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
