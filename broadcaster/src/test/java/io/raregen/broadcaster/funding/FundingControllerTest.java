package io.raregen.broadcaster.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.Network;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's HTTP surface in the real broadcaster application (Netty, Postgres, local chain). */
class FundingControllerTest {
    private static final String TOKEN = "test-admin-token";
    private static TestDatabase db;
    private static LocalChain chain;
    private static EmbeddedServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("datasources.default.url", db.jdbcUrlWithoutCredentials());
        props.put("datasources.default.username", db.username());
        props.put("datasources.default.password", db.password());
        props.put("raregen.arc.url", chain.arcUrl());
        props.put("raregen.network", "regtest");
        props.put("raregen.keys.pool-wif", PoolTestData.POOL_KEY.toWif(Network.REGTEST));
        props.put("raregen.keys.funding-wif", PoolTestData.FUNDING_KEY.toWif(Network.REGTEST));
        props.put("raregen.admin.token", TOKEN);
        props.put("raregen.pool.jobs.enabled", "false");
        props.put("raregen.ratelimit.shared", "false");
        props.put("raregen.replenisher.min-pool-size", 100);
        props.put("raregen.replenisher.split-batch-size", 300);
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        chain.close();
        db.close();
    }

    @Test
    void fundImportReplenishAndConserve_overHttp() throws Exception {
        HttpResponse<String> addr = get("/v1/pool/funding-address");
        assertEquals(200, addr.statusCode());
        String address = JSON.readTree(addr.body()).get("address").asText();
        assertEquals(PoolTestData.FUNDING_KEY.address(Network.REGTEST), address);

        FaucetOutput f = chain.faucet(PoolTestData.FUNDING_KEY.p2pkhLockingScript(), 100_000);
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
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
