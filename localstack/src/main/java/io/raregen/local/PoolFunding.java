package io.raregen.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Funds the local pool once: the chain's faucet pays the funding key, a block is mined, and the
 * output is imported through the broadcaster's operator endpoint {@code POST /v1/pool/funding}
 * (which checks that it pays the funding script) — the same path an operator uses with
 * {@code raregen pool fund}. The broadcaster's replenisher then splits it into publish UTXOs.
 * Remembered in {@code <stateDir>/funding.json}; funded again only when the chain no longer knows
 * that output (a fresh chain).
 */
public final class PoolFunding {
    static final String FILE = "funding.json";

    /** The funding output in use. */
    public record Funded(String txid, int vout, long sats, String rawTx) {
        public String outpoint() {
            return txid + ":" + vout;
        }
    }

    private PoolFunding() {
    }

    /** Pays the funding key from the faucet unless the chain already holds the recorded funding output. */
    public static Funded fundOnChain(LocalChain chain, LocalSecrets secrets, Path stateDir, long sats, ObjectMapper json, Log log)
            throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            JsonNode n = json.readTree(file.toFile());
            String txid = n.path("txid").asText();
            if (chain.status(txid) != null) {
                return new Funded(txid, n.path("vout").asInt(), n.path("sats").asLong(), n.path("rawTx").asText());
            }
            log.info("the local chain does not know the recorded funding transaction " + txid + "; funding again");
        }
        FaucetOutput out = chain.faucet(secrets.fundingKey().p2pkhLockingScript(), sats);
        chain.mineBlock();
        Funded f = new Funded(out.txid().hex(), out.vout(), out.sats(), out.rawTxHex());
        Files.writeString(file, json.createObjectNode().put("txid", f.txid()).put("vout", f.vout()).put("sats", f.sats())
                .put("address", secrets.fundingAddress()).put("rawTx", f.rawTx()).toPrettyString());
        log.info("faucet paid " + sats + " sats to the funding address " + secrets.fundingAddress() + " in " + f.outpoint()
                + " (mined)");
        return f;
    }

    /** Imports the output into the pool through the broadcaster (idempotent: 200 when it is already there). */
    public static void importIntoPool(Funded f, String broadcasterUrl, String adminToken, ObjectMapper json, Log log)
            throws IOException, InterruptedException {
        String body = json.createObjectNode().put("outpoint", f.outpoint()).put("rawTx", f.rawTx()).put("confirmed", true).toString();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broadcasterUrl + "/v1/pool/funding"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
            log.info("imported funding UTXO " + f.outpoint() + " into the pool; the replenisher splits it into publish UTXOs");
        } else if (r.statusCode() == 200) {
            log.info("funding UTXO " + f.outpoint() + " already in the pool");
        } else {
            throw new IOException("funding import answered " + r.statusCode() + ": " + r.body());
        }
    }

    /**
     * Asks the broadcaster for one replenisher round now, so the pool holds publish UTXOs before the
     * first record arrives instead of after the replenisher's next tick. Best effort.
     */
    public static void replenishNow(String broadcasterUrl, String adminToken, ObjectMapper json, Log log) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broadcasterUrl + "/v1/pool/replenish"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode n = json.readTree(r.body());
                if (n.path("outputsCreated").asInt() > 0) {
                    log.info("replenisher split funding into " + n.path("outputsCreated").asInt() + " publish UTXOs ("
                            + n.path("accepted").asInt() + " transaction(s) accepted)");
                }
            }
        } catch (IOException e) {
            log.info("could not trigger a replenisher round (" + e.getMessage() + "); it runs on its own schedule");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
