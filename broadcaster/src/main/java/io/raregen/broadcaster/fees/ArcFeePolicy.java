package io.raregen.broadcaster.fees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.core.tx.FeeRate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fee rate from ARC's {@code GET /v1/policy} ({@code policy.miningFee}), cached; {@link #refresh()}
 * is called by a loop. {@link #current()} never touches the network: until the first successful
 * read it answers the configured fallback, and a failed refresh keeps the last good value.
 */
public final class ArcFeePolicy implements FeePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ArcFeePolicy.class);

    private final List<ArcSettings> sources;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<FeeRate> rate;
    private volatile boolean fromNetwork;

    public ArcFeePolicy(ArcSettings arc, FeeRate fallback) {
        this(List.of(arc), fallback);
    }

    /** Reads the policy from the first of {@code sources} (the providers, in failover order) that answers. */
    public ArcFeePolicy(List<ArcSettings> sources, FeeRate fallback) {
        this.sources = List.copyOf(sources);
        this.rate = new AtomicReference<>(fallback);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(sources.get(0).getConnectTimeout()).build();
    }

    @Override
    public FeeRate current() {
        return rate.get();
    }

    /** True once a policy was read from the network. */
    public boolean isFromNetwork() {
        return fromNetwork;
    }

    /** Reads the policy from the first source that answers with one; returns true when the rate was read. */
    public boolean refresh() {
        for (ArcSettings arc : sources) {
            if (refresh(arc)) {
                return true;
            }
        }
        return false;
    }

    private boolean refresh(ArcSettings arc) {
        String base = arc.getUrl().endsWith("/") ? arc.getUrl().substring(0, arc.getUrl().length() - 1) : arc.getUrl();
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + "/v1/policy"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET();
        if (arc.getToken() != null && !arc.getToken().isBlank()) {
            rb.header("Authorization", "Bearer " + arc.getToken());
        }
        try {
            HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                LOG.warn("ARC /v1/policy answered HTTP {}; keeping fee rate {}", resp.statusCode(), rate.get());
                return false;
            }
            JsonNode fee = json.readTree(resp.body()).path("policy").path("miningFee");
            long sats = fee.path("satoshis").asLong(-1);
            long bytes = fee.path("bytes").asLong(-1);
            if (sats < 0 || bytes <= 0) {
                LOG.warn("ARC /v1/policy has no usable miningFee; keeping fee rate {}", rate.get());
                return false;
            }
            FeeRate next = new FeeRate(sats, bytes);
            FeeRate prev = rate.getAndSet(next);
            fromNetwork = true;
            if (!next.equals(prev)) {
                LOG.info("fee rate now {} (was {})", next, prev);
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("ARC /v1/policy unavailable ({}); keeping fee rate {}", e.toString(), rate.get());
            return false;
        }
    }
}
