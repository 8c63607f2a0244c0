package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.localchain.faults.FaultSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault switch, through the Java API and the admin endpoint. */
class FaultsTest {
    private static LocalChain chain;

    @BeforeAll
    static void start() {
        chain = LocalChain.start(LocalChainConfig.builder().manualMining().build());
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @AfterEach
    void noFaults() {
        chain.faults().reset();
    }

    private static SignedTransaction fresh(String tag) {
        return Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), tag);
    }

    @Test
    void latency_delaysEveryArcRequest() throws Exception {
        chain.faults().latencyMs(300);
        long start = System.nanoTime();
        Arc.get(chain, "/v1/tx/" + "ee".repeat(32));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void errorRate_answers5xx_withoutProcessing() throws Exception {
        chain.faults().errorRate(1.0);
        SignedTransaction t = fresh("5xx");
        Arc.Response r = Arc.submit(chain, Txs.ef(t));
        assertEquals(503, r.status());
        assertEquals(503, r.body().get("status").asInt());
        assertEquals(null, chain.status(t.txid()));
        chain.faults().errorRate(1.0).errorStatus(500);
        assertEquals(500, Arc.submit(chain, Txs.ef(t)).status());
        chain.faults().reset();
        assertEquals(200, Arc.submit(chain, Txs.ef(t)).status());
    }

    @Test
    void timeoutAfterAccept_clientTimesOut_butTransactionWasAccepted() throws Exception {
        chain.faults().timeoutAfterAcceptRate(1.0).hangMs(3_000);
        SignedTransaction t = fresh("timeout");
        assertThrows(HttpTimeoutException.class,
                () -> Arc.post(chain, "/v1/tx", "application/octet-stream", Txs.ef(t), Duration.ofMillis(500)));
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(t.txid()).status());
        chain.faults().reset();
        Arc.Response again = Arc.submit(chain, Txs.ef(t));
        assertEquals("SEEN_ON_NETWORK", again.body().get("txStatus").asText(), "the retry is idempotent");
    }

    @Test
    void dropResponse_closesTheConnection_afterAccepting() throws Exception {
        chain.faults().dropResponseRate(1.0);
        SignedTransaction t = fresh("drop");
        IOException e = assertThrows(IOException.class,
                () -> Arc.post(chain, "/v1/tx", "application/octet-stream", Txs.ef(t), Duration.ofSeconds(10)));
        assertFalse(e instanceof HttpTimeoutException, "the connection is closed at once, not left hanging");
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(t.txid()).status());
    }

    @Test
    void orphanFor_showsSeenInOrphanMempool_thenSeenOnNetwork() throws Exception {
        chain.faults().orphanForMs(400);
        SignedTransaction t = fresh("orphan");
        Arc.Response r = Arc.submit(chain, Txs.ef(t));
        assertEquals("SEEN_IN_ORPHAN_MEMPOOL", r.body().get("txStatus").asText());
        assertFalse(chain.mineBlock().txids().contains(t.txid().hex()), "not mined while held");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (chain.status(t.txid()).status() != TxStatus.SEEN_ON_NETWORK && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(t.txid()).status());
        chain.mineBlock();
        assertEquals(TxStatus.MINED, chain.status(t.txid()).status());
    }

    @Test
    void storedFor_withShortMaxTimeout_answersStored() throws Exception {
        chain.faults().storedForMs(5_000);
        SignedTransaction t = fresh("stored");
        Arc.Response r = Arc.submit(chain, Txs.ef(t), "X-MaxTimeout", "1");
        assertEquals(200, r.status());
        assertEquals("STORED", r.body().get("txStatus").asText(), "on timeout the current lower status is returned");
        Arc.Response low = Arc.submit(chain, Txs.ef(fresh("stored2")), "X-WaitFor", "STORED");
        assertEquals("STORED", low.body().get("txStatus").asText());
    }

    @Test
    void rejectNext_rejectsExactlyThatMany() throws Exception {
        chain.faults().rejectNext(2);
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(Arc.submit(chain, Txs.ef(fresh("rn" + i))).body().get("txStatus").asText());
        }
        assertEquals(List.of("REJECTED", "REJECTED", "SEEN_ON_NETWORK"), statuses);
        assertEquals(0, chain.faults().settings().rejectNext());
    }

    @Test
    void rejectRate_isRepeatableForTheSameSeed() throws Exception {
        List<String> run1 = rejectPattern(7);
        List<String> run2 = rejectPattern(7);
        assertEquals(run1, run2);
        assertTrue(run1.contains("REJECTED") && run1.contains("SEEN_ON_NETWORK"), run1.toString());
    }

    private List<String> rejectPattern(long seed) throws Exception {
        chain.faults().set(new FaultSettings(0, 0, 503, 0, 60_000, 0, 0, 0, 0.5, 0, seed));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            out.add(Arc.submit(chain, Txs.ef(fresh("rr" + seed + i))).body().get("txStatus").asText());
        }
        return out;
    }

    @Test
    void adminFaults_switchesAtRunTime() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/admin/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"errorRate\":1.0,\"latencyMs\":10}")).build();
        JsonNode after = Arc.send(post).body();
        assertEquals(1.0, after.get("errorRate").asDouble());
        assertEquals(10, after.get("latencyMs").asLong());
        assertEquals(503, Arc.submit(chain, Txs.ef(fresh("admin"))).status());

        HttpRequest put = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/admin/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rejectNext\":1}")).build();
        JsonNode replaced = Arc.send(put).body();
        assertEquals(0.0, replaced.get("errorRate").asDouble(), "PUT replaces every switch");
        assertEquals(1, replaced.get("rejectNext").asInt());
        assertEquals("REJECTED", Arc.submit(chain, Txs.ef(fresh("admin2"))).body().get("txStatus").asText());

        HttpRequest bad = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/admin/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"errorRate\":2}")).build();
        assertEquals(400, Arc.send(bad).status());
        HttpRequest unknown = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/admin/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"chaos\":1}")).build();
        assertEquals(400, Arc.send(unknown).status());

        chain.faults().latencyMs(5);
        HttpRequest del = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/admin/faults")).DELETE().build();
        assertEquals(0, Arc.send(del).body().get("latencyMs").asLong());
        JsonNode get = Arc.get(chain, "/admin/faults").body();
        assertNotEquals(null, get.get("seed"));
    }
}
