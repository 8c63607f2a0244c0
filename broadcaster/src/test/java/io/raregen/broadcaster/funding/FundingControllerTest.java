package io.raregen.broadcaster.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.Network;
import io.raregen.localchain.FaucetOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's HTTP surface in the real broadcaster application (Netty, Postgres, local chain). */
class FundingControllerTest {
    private static final String TOKEN = FundingApp.TOKEN;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FundingApp app;

    @BeforeAll
    static void start() {
        app = FundingApp.start(Map.of(
                "raregen.replenisher.min-pool-size", 100,
                "raregen.replenisher.split-batch-size", 300));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void fundImportReplenishAndConserve_overHttp() throws Exception {
        HttpResponse<String> addr = get("/v1/pool/funding-address");
        assertEquals(200, addr.statusCode());
        String address = JSON.readTree(addr.body()).get("address").asText();
        assertEquals(PoolTestData.FUNDING_KEY.address(Network.REGTEST), address);

        FaucetOutput f = app.chain.faucet(PoolTestData.FUNDING_KEY.p2pkhLockingScript(), 100_000);
        String body = "{\"outpoint\":\"" + f.outpoint() + "\",\"rawTx\":\"" + HexFormat.of().formatHex(f.rawTx()) + "\"}";

        HttpResponse<String> noToken = post("/v1/pool/funding", body, null);
        assertEquals(401, noToken.statusCode());
        assertEquals("UNAUTHORIZED", JSON.readTree(noToken.body()).get("code").asText());

        HttpResponse<String> wrongVout = post("/v1/pool/funding",
                body.replace(f.outpoint().toString(), f.txid() + ":7"), TOKEN);
        assertEquals(400, wrongVout.statusCode());
        assertEquals("VOUT_OUT_OF_RANGE", JSON.readTree(wrongVout.body()).get("code").asText());

        HttpResponse<String> imported = post("/v1/pool/funding", body, TOKEN);
        assertEquals(201, imported.statusCode(), imported.body());
        assertEquals(200, post("/v1/pool/funding", body, TOKEN).statusCode(), "a repeated import changes nothing");

        HttpResponse<String> round = post("/v1/pool/replenish", "", TOKEN);
        assertEquals(200, round.statusCode(), round.body());
        assertEquals(1, JSON.readTree(round.body()).get("accepted").asInt());

        JsonNode pool = JSON.readTree(get("/v1/pool").body());
        assertEquals(300, pool.get("publishAvailable").asLong());
        assertTrue(pool.get("conserved").asBoolean(), pool.toString());
        assertEquals(100_000, pool.get("fundedSats").asLong());
        assertEquals(100_000 - 30_000 - pool.get("feesPaidSats").asLong(), pool.get("fundingAvailableSats").asLong());
        assertTrue(pool.get("lowDepthAlert").asBoolean(), "300 < default alert threshold 1,000");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
