package io.raregen.broadcaster.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.ratelimit.LocalRateLimiter;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * WhatsOnChain fallback: one {@code POST /v1/bsv/{network}/tx/raw} per transaction (plain raw
 * hex; the bulk endpoint is deprecated), paced by its own limit (3 req/s without an API key).
 */
public final class WocTransactionBroadcaster implements TransactionBroadcaster {
    private final WocSettings props;
    private final HttpClient http;
    private final RateLimiter limiter;
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    public WocTransactionBroadcaster(WocSettings props) {
        this.props = props;
        String url = props.getUrl().endsWith("/") ? props.getUrl().substring(0, props.getUrl().length() - 1) : props.getUrl();
        this.base = url + "/v1/bsv/" + props.getNetwork();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        // capacity 1 per 1/rate seconds: never a burst above the provider's limit
        long periodMillis = Math.max(1, Math.round(1000.0 / props.getRequestsPerSecond()));
        this.limiter = new LocalRateLimiter(1, Duration.ofMillis(periodMillis));
    }

    @Override
    public List<BroadcastResult> broadcast(List<SignedTransaction> transactions) {
        List<BroadcastResult> out = new ArrayList<>();
        for (SignedTransaction tx : transactions) {
            out.add(sendOne(tx));
        }
        return out;
    }

    private BroadcastResult sendOne(SignedTransaction tx) {
        try {
            limiter.acquire(1);
            String body = json.createObjectNode().put("txhex", tx.rawHex()).toString();
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + "/tx/raw"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            key(rb);
            HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            return classify(tx.txid(), resp.statusCode(), resp.body());
        } catch (IOException e) {
            return result(tx.txid(), Outcome.UNKNOWN, "TRANSPORT", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(tx.txid(), Outcome.UNKNOWN, "INTERRUPTED", "interrupted");
        }
    }

    /** WhatsOnChain answers the txid as a JSON string on success and node error text otherwise. */
    static BroadcastResult classify(Txid txid, int status, String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        if (status == 200 && text.contains(txid.hex())) {
            return result(txid, Outcome.ACCEPTED, null, null);
        }
        if (status == 429 || status >= 500) {
            return result(txid, Outcome.UNKNOWN, "HTTP_" + status, ArcTransactionBroadcaster.truncate(body));
        }
        if (text.contains("already in the mempool") || text.contains("txn-already-known") || text.contains("already known")) {
            return result(txid, Outcome.ACCEPTED, null, null);
        }
        if (text.contains("txn-mempool-conflict") || text.contains("double spend")) {
            return result(txid, Outcome.CONFLICT, "MEMPOOL_CONFLICT", ArcTransactionBroadcaster.truncate(body));
        }
        if (text.contains("missing inputs")) {
            return result(txid, Outcome.IN_FLIGHT, "MISSING_INPUTS", ArcTransactionBroadcaster.truncate(body));
        }
        if (status >= 400) {
            return result(txid, Outcome.REJECTED, "WOC_" + status, ArcTransactionBroadcaster.truncate(body));
        }
        return result(txid, Outcome.UNKNOWN, "HTTP_" + status, ArcTransactionBroadcaster.truncate(body));
    }

    @Override
    public BroadcastResult status(Txid txid) {
        try {
            limiter.acquire(1);
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + "/tx/hash/" + txid.hex()))
                    .timeout(Duration.ofSeconds(30)).GET();
            key(rb);
            HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 404) {
                return new BroadcastResult(txid, Outcome.UNKNOWN, NetworkStatus.NOT_FOUND, "404", null, List.of(), null, null, null);
            }
            if (resp.statusCode() != 200) {
                return result(txid, Outcome.UNKNOWN, "HTTP_" + resp.statusCode(), null);
            }
            JsonNode n = json.readTree(resp.body());
            String blockHash = n.path("blockhash").asText(null);
            if (blockHash != null && !blockHash.isBlank() && n.path("confirmations").asInt(0) > 0) {
                Integer height = n.hasNonNull("blockheight") ? n.get("blockheight").asInt() : null;
                return new BroadcastResult(txid, Outcome.MINED, "MINED", null, null, List.of(), blockHash, height, null);
            }
            return new BroadcastResult(txid, Outcome.ACCEPTED, "SEEN_ON_NETWORK", null, null, List.of(), null, null, null);
        } catch (IOException e) {
            return result(txid, Outcome.UNKNOWN, "TRANSPORT", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(txid, Outcome.UNKNOWN, "INTERRUPTED", "interrupted");
        }
    }

    private void key(HttpRequest.Builder rb) {
        if (props.getApiKey() != null && !props.getApiKey().isBlank()) {
            rb.header("woc-api-key", props.getApiKey());
        }
    }

    private static BroadcastResult result(Txid txid, Outcome o, String code, String detail) {
        return new BroadcastResult(txid, o, null, code, detail, List.of(), null, null, null);
    }
}
