package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/txs: body formats, per-txid results out of request order, idempotency, request-level errors, headers. */
class BatchApiTest {
    private static LocalChain chain;

    @BeforeAll
    static void start() {
        chain = LocalChain.start(LocalChainConfig.builder().manualMining().maxChainDepth(1000).build());
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static List<Utxo> funding(int n) {
        return chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000, n).stream().map(FaucetOutput::utxo).toList();
    }

    private static Map<String, JsonNode> byTxid(JsonNode array) {
        Map<String, JsonNode> m = new HashMap<>();
        array.forEach(n -> m.put(n.get("txid").asText(), n));
        return m;
    }

    @Test
    void batch_mixedGoodAndBad_returnsOneResultPerTxid_successesFirst() throws Exception {
        List<Utxo> in = funding(6);
        List<byte[]> txs = new ArrayList<>();
        List<String> good = new ArrayList<>();
        // bad first, so that request order and answer order must differ
        byte[] badFee = Txs.manual(List.of(in.get(0)), List.of(Txs.p2pkh(Txs.KEY, 10_000)), Txs.KEY, 0x41);
        byte[] badSig = Txs.manual(List.of(in.get(1)), List.of(Txs.p2pkh(Txs.KEY, 9_000)), Txs.OTHER, 0x41);
        txs.add(Txs.ef(badFee, List.of(in.get(0))));
        txs.add(Txs.ef(badSig, List.of(in.get(1))));
        for (int i = 2; i < 6; i++) {
            SignedTransaction t = Txs.publish(in.get(i), "rec" + i);
            txs.add(Txs.ef(t));
            good.add(t.txid().hex());
        }
        Arc.Response r = Arc.submitAll(chain, txs);
        assertEquals(200, r.status());
        assertTrue(r.body().isArray());
        assertEquals(6, r.body().size());
        Map<String, JsonNode> results = byTxid(r.body());
        assertEquals(465, results.get(Txs.txid(badFee)).get("status").asInt());
        assertEquals(461, results.get(Txs.txid(badSig)).get("status").asInt());
        for (String g : good) {
            assertEquals("SEEN_ON_NETWORK", results.get(g).get("txStatus").asText());
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(200, r.body().get(i).get("status").asInt(), "successes come first");
        }
        List<String> answerOrder = new ArrayList<>();
        r.body().forEach(n -> answerOrder.add(n.get("txid").asText()));
        List<String> requestOrder = new ArrayList<>(List.of(Txs.txid(badFee), Txs.txid(badSig)));
        requestOrder.addAll(good);
        assertNotEquals(requestOrder, answerOrder);
    }

    @Test
    void batch_jsonArrayAndOctetStream_areAccepted() throws Exception {
        List<Utxo> in = funding(4);
        SignedTransaction a = Txs.publish(in.get(0), "a");
        SignedTransaction b = Txs.publish(in.get(1), "b");
        String body = "[{\"rawTx\":\"" + Txs.hex(Txs.ef(a)) + "\"},{\"rawTx\":\"" + b.rawHex() + "\"}]";
        Arc.Response r = Arc.post(chain, "/v1/txs", "application/json", body.getBytes());
        assertEquals(2, r.body().size());
        assertEquals(Map.of(a.txid().hex(), "SEEN_ON_NETWORK", b.txid().hex(), "SEEN_ON_NETWORK"),
                Map.of(r.body().get(0).get("txid").asText(), r.body().get(0).get("txStatus").asText(),
                        r.body().get(1).get("txid").asText(), r.body().get(1).get("txStatus").asText()));

        SignedTransaction c = Txs.publish(in.get(2), "c");
        SignedTransaction d = Txs.publish(in.get(3), "d");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(Txs.ef(c));
        bytes.write(d.raw()); // raw and EF mixed in one stream
        Arc.Response o = Arc.post(chain, "/v1/txs", "application/octet-stream", bytes.toByteArray());
        assertEquals(2, o.body().size());
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(c.txid()).status());
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(d.txid()).status());
    }

    @Test
    void batch_parentAndRawChildInOneRequest_bothAccepted() throws Exception {
        Utxo in = funding(1).get(0);
        SignedTransaction parent = Txs.pay(in, 5_000);
        SignedTransaction child = Txs.pay(Txs.output(parent, 0), 1_000);
        Arc.Response r = Arc.submitAll(chain, List.of(parent.raw(), child.raw()));
        Map<String, JsonNode> m = byTxid(r.body());
        assertEquals("SEEN_ON_NETWORK", m.get(parent.txid().hex()).get("txStatus").asText());
        assertEquals("SEEN_ON_NETWORK", m.get(child.txid().hex()).get("txStatus").asText());
    }

    @Test
    void batch_withOneUnparseableTransaction_answersOneProblemObject() throws Exception {
        SignedTransaction ok = Txs.publish(funding(1).get(0), "ok");
        String body = ok.rawHex() + "\n" + "0100000001abcd\n";
        Arc.Response r = Arc.post(chain, "/v1/txs", "text/plain", body.getBytes());
        assertEquals(400, r.status());
        assertTrue(r.body().isObject());
        assertEquals(400, r.body().get("status").asInt());
        assertEquals(null, chain.status(ok.txid()), "nothing of a rejected request is applied");
    }

    @Test
    void resubmit_knownTransaction_isIdempotent() throws Exception {
        SignedTransaction t = Txs.publish(funding(1).get(0), "again");
        JsonNode first = Arc.submit(chain, Txs.ef(t)).body();
        Arc.Response second = Arc.submit(chain, Txs.ef(t));
        Arc.Response third = Arc.submit(chain, t.raw());
        assertEquals(200, second.status());
        assertEquals(first.get("txStatus").asText(), second.body().get("txStatus").asText());
        assertEquals("SEEN_ON_NETWORK", third.body().get("txStatus").asText());
        assertTrue(third.body().get("competingTxs").isNull(), "a resubmit is not a double spend of itself");
        chain.mineBlock();
        Arc.Response afterMining = Arc.submit(chain, Txs.ef(t));
        assertEquals("MINED", afterMining.body().get("txStatus").asText());
        assertFalse(afterMining.body().get("merklePath").asText().isEmpty());
    }

    @Test
    void maxTimeoutOver30_is400() throws Exception {
        SignedTransaction t = Txs.publish(funding(1).get(0), "t");
        Arc.Response r = Arc.submit(chain, Txs.ef(t), "X-MaxTimeout", "31");
        assertEquals(400, r.status());
        assertEquals(null, chain.status(t.txid()));
        assertEquals(200, Arc.submit(chain, Txs.ef(t), "X-MaxTimeout", "30").status());
    }

    @Test
    void unknownWaitFor_is400_andUnsupportedContentType_is400() throws Exception {
        SignedTransaction t = Txs.publish(funding(1).get(0), "t");
        assertEquals(400, Arc.submit(chain, Txs.ef(t), "X-WaitFor", "NOPE").status());
        assertEquals(400, Arc.post(chain, "/v1/tx", "application/xml", t.raw()).status());
    }

    @Test
    void getTx_unknown_is404_withProblemBody() throws Exception {
        Arc.Response r = Arc.get(chain, "/v1/tx/" + "cd".repeat(32));
        assertEquals(404, r.status());
        assertEquals(404, r.body().get("status").asInt());
        assertEquals("application/problem+json", r.raw().headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void policyAndHealth_haveArcShapes() throws Exception {
        JsonNode p = Arc.get(chain, "/v1/policy").body();
        assertEquals(1, p.at("/policy/miningFee/satoshis").asInt());
        assertEquals(1000, p.at("/policy/miningFee/bytes").asInt());
        assertTrue(p.has("timestamp"));
        JsonNode h = Arc.get(chain, "/v1/health").body();
        assertTrue(h.get("healthy").asBoolean());
    }
}
