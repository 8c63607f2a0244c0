package io.raregen.broadcaster.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Broadcasts through ARC's batch endpoint {@code POST /v1/txs} in Extended Format, in requests
 * bounded by count and bytes. ARC answers out of request order, so results are matched by txid;
 * a transaction missing from the answer, a timeout, a 5xx or a connection error is UNKNOWN
 * (the caller re-checks or re-sends the same bytes; it never re-signs).
 */
public final class ArcTransactionBroadcaster implements TransactionBroadcaster {
    private static final Logger LOG = LoggerFactory.getLogger(ArcTransactionBroadcaster.class);
    private static final HexFormat HEX = HexFormat.of();

    private final ArcSettings props;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;

    public ArcTransactionBroadcaster(ArcSettings props) {
        this.props = props;
        this.baseUrl = props.getUrl().endsWith("/") ? props.getUrl().substring(0, props.getUrl().length() - 1) : props.getUrl();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(props.getConnectTimeout())
                .build();
    }

    @Override
    public List<BroadcastResult> broadcast(List<SignedTransaction> transactions) {
        List<BroadcastResult> out = new ArrayList<>(transactions.size());
        for (List<SignedTransaction> chunk : chunks(transactions)) {
            out.addAll(send(chunk));
        }
        return out;
    }

    @Override
    public int firstRequestSize(List<SignedTransaction> transactions) {
        return transactions.isEmpty() ? 0 : chunks(transactions).get(0).size();
    }

    /** Splits into requests of at most maxTxsPerRequest transactions and maxRequestBytes of body. */
    List<List<SignedTransaction>> chunks(List<SignedTransaction> txs) {
        List<List<SignedTransaction>> chunks = new ArrayList<>();
        List<SignedTransaction> cur = new ArrayList<>();
        long bytes = 0;
        boolean hexBody = !"octet-stream".equalsIgnoreCase(props.getBodyFormat());
        for (SignedTransaction tx : txs) {
            // EF adds ~34 bytes per input; hex doubles; JSON adds a few bytes of framing
            long size = (long) (tx.size() + 40L * tx.inputs().size()) * (hexBody ? 2 : 1) + 16;
            if (!cur.isEmpty() && (cur.size() >= props.getMaxTxsPerRequest() || bytes + size > props.getMaxRequestBytes())) {
                chunks.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(tx);
            bytes += size;
        }
        if (!cur.isEmpty()) {
            chunks.add(cur);
        }
        return chunks;
    }

    private List<BroadcastResult> send(List<SignedTransaction> chunk) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/txs"))
                .timeout(Duration.ofSeconds(props.getMaxTimeoutSeconds()).plus(props.getRequestTimeoutMargin()))
                .header("Accept", "application/json")
                .header("X-WaitFor", props.getWaitFor())
                .header("X-MaxTimeout", Integer.toString(props.getMaxTimeoutSeconds()));
        addCommonHeaders(rb);
        if (props.callbacksRequested()) {
            rb.header("X-CallbackUrl", props.getCallbackUrl());
            if (props.getCallbackToken() != null && !props.getCallbackToken().isBlank()) {
                rb.header("X-CallbackToken", props.getCallbackToken());
            }
            if (props.isCallbackBatch()) {
                rb.header("X-CallbackBatch", "true");
            }
        }
        if ("octet-stream".equalsIgnoreCase(props.getBodyFormat())) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (SignedTransaction tx : chunk) {
                body.writeBytes(tx.extendedFormat());
            }
            rb.header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        } else {
            ArrayNode arr = json.createArrayNode();
            for (SignedTransaction tx : chunk) {
                arr.addObject().put("rawTx", HEX.formatHex(tx.extendedFormat()));
            }
            rb.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(arr.toString()));
        }
        Map<Txid, BroadcastResult> byTxid = new LinkedHashMap<>();
        try {
            HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            int code = resp.statusCode();
            JsonNode body = parse(resp.body());
            if (code == 200 && body != null && body.isArray()) {
                Map<String, Txid> ours = new HashMap<>();
                chunk.forEach(tx -> ours.put(tx.txid().hex(), tx.txid()));
                for (JsonNode item : body) {
                    String txid = text(item, "txid");
                    Txid t = txid == null ? null : ours.get(txid.toLowerCase());
                    if (t != null) {
                        byTxid.put(t, fromItem(t, item));
                    }
                }
            } else if (body != null && body.isObject() && text(body, "txid") != null) {
                // a request-level error names the one transaction that failed; the rest were not processed
                String txid = text(body, "txid").toLowerCase();
                for (SignedTransaction tx : chunk) {
                    if (tx.txid().hex().equals(txid)) {
                        byTxid.put(tx.txid(), fromItem(tx.txid(), body));
                    }
                }
            } else {
                LOG.warn("ARC /v1/txs answered HTTP {} for {} transactions", code, chunk.size());
                for (SignedTransaction tx : chunk) {
                    byTxid.put(tx.txid(), unknown(tx.txid(), "HTTP_" + code, truncate(resp.body())));
                }
            }
        } catch (IOException e) {
            LOG.warn("ARC /v1/txs failed for {} transactions: {}", chunk.size(), e.toString());
            for (SignedTransaction tx : chunk) {
                byTxid.put(tx.txid(), unknown(tx.txid(), "TRANSPORT", e.getClass().getSimpleName()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (SignedTransaction tx : chunk) {
                byTxid.put(tx.txid(), unknown(tx.txid(), "INTERRUPTED", "interrupted"));
            }
        }
        List<BroadcastResult> out = new ArrayList<>(chunk.size());
        for (SignedTransaction tx : chunk) {
            BroadcastResult r = byTxid.get(tx.txid());
            out.add(r != null ? r : unknown(tx.txid(), "MISSING_FROM_RESPONSE", "ARC did not report this txid"));
        }
        return out;
    }

    @Override
    public BroadcastResult status(Txid txid) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tx/" + txid.hex()))
                .timeout(props.getRequestTimeoutMargin())
                .header("Accept", "application/json")
                .GET();
        addCommonHeaders(rb);
        try {
            HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 404) {
                return new BroadcastResult(txid, Outcome.UNKNOWN, NetworkStatus.NOT_FOUND, "404", "ARC does not know this txid",
                        List.of(), null, null, null);
            }
            JsonNode body = parse(resp.body());
            if (resp.statusCode() == 200 && body != null && body.isObject()) {
                return fromItem(txid, body);
            }
            return unknown(txid, "HTTP_" + resp.statusCode(), truncate(resp.body()));
        } catch (IOException e) {
            return unknown(txid, "TRANSPORT", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(txid, "INTERRUPTED", "interrupted");
        }
    }

    private void addCommonHeaders(HttpRequest.Builder rb) {
        if (props.getToken() != null && !props.getToken().isBlank()) {
            rb.header("Authorization", "Bearer " + props.getToken());
        }
    }

    /** One element of the /v1/txs array, a /v1/tx/{txid} answer, or an RFC 7807 error object. */
    private BroadcastResult fromItem(Txid txid, JsonNode item) {
        String txStatus = text(item, "txStatus");
        String extraInfo = text(item, "extraInfo");
        int status = item.path("status").asInt(200);
        List<Txid> competing = new ArrayList<>();
        for (JsonNode c : item.path("competingTxs")) {
            try {
                competing.add(Txid.fromHex(c.asText()));
            } catch (IllegalArgumentException ignored) {
                // not a txid: nothing to act on
            }
        }
        String blockHash = text(item, "blockHash");
        Integer blockHeight = item.hasNonNull("blockHeight") && item.get("blockHeight").asLong() > 0
                ? item.get("blockHeight").asInt() : null;
        String merklePath = text(item, "merklePath");
        if (status >= 400) {
            String detail = firstNonNull(text(item, "detail"), extraInfo, text(item, "title"));
            Outcome o = ArcStatusMapping.forErrorStatus(status, detail);
            return new BroadcastResult(txid, o, txStatus, Integer.toString(status), detail, competing, null, null, null);
        }
        Outcome o = ArcStatusMapping.forTxStatus(txStatus, extraInfo);
        String errorCode = o == Outcome.REJECTED || o == Outcome.CONFLICT ? txStatus : null;
        return new BroadcastResult(txid, o, txStatus, errorCode, extraInfo, competing,
                blockHash == null || blockHash.isBlank() ? null : blockHash, blockHeight,
                merklePath == null || merklePath.isBlank() ? null : merklePath);
    }

    private static BroadcastResult unknown(Txid txid, String code, String detail) {
        return new BroadcastResult(txid, Outcome.UNKNOWN, null, code, detail, List.of(), null, null, null);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstNonNull(String... s) {
        for (String x : s) {
            if (x != null && !x.isBlank()) {
                return x;
            }
        }
        return null;
    }

    static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 300 ? s : s.substring(0, 300);
    }
}
