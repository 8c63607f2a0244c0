package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Txid;
import io.raregen.localchain.FaucetOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ARC adapter against the project's local chain over real HTTP. */
class ArcTransactionBroadcasterTest {
    static TestKit kit;
    static ArcTransactionBroadcaster arc;
    static final FeeRate RATE = new FeeRate(1, 1000);

    @BeforeAll
    static void setUp() {
        kit = new TestKit().withChain();
        arc = new ArcTransactionBroadcaster(kit.arcProperties());
    }

    @AfterAll
    static void tearDown() {
        kit.close();
    }

    @AfterEach
    void noFaults() {
        kit.chain.faults().reset();
    }

    static List<SignedTransaction> txs(int n, KeyPair signer) {
        List<SignedTransaction> out = new ArrayList<>();
        List<FaucetOutput> coins = kit.chain.faucet(kit.poolKey.p2pkhLockingScript(), 1000, n);
        for (int i = 0; i < n; i++) {
            out.add(PublishTransactions.build(List.of(coins.get(i).utxo()), signer, kit.envelope("arc-" + i + "-" + System.nanoTime(), i),
                    kit.poolKey.p2pkhLockingScript(), RATE));
        }
        return out;
    }

    /** Flips a byte inside the first input's signature: a well-formed transaction whose script fails. */
    static SignedTransaction corrupt(SignedTransaction tx) {
        byte[] raw = tx.raw();
        raw[4 + 1 + 36 + 1 + 1 + 10] ^= 0x01;
        return new SignedTransaction(RawTransaction.parse(raw).txid(), raw, tx.inputs(), tx.outputs(), tx.fee());
    }

    static Map<Txid, BroadcastResult> byTxid(List<BroadcastResult> rs) {
        Map<Txid, BroadcastResult> m = new HashMap<>();
        rs.forEach(r -> m.put(r.txid(), r));
        return m;
    }

    @Test
    void broadcast_mixedBatch_matchesEveryResultToItsTxidWhateverTheAnswerOrder() {
        List<SignedTransaction> good = txs(6, kit.poolKey);
        List<SignedTransaction> bad = txs(3, kit.poolKey).stream().map(ArcTransactionBroadcasterTest::corrupt).toList();
        List<SignedTransaction> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(good.get(2 * i));
            all.add(bad.get(i));
            all.add(good.get(2 * i + 1));
        }
        List<BroadcastResult> results = arc.broadcast(all);
        assertEquals(all.size(), results.size());
        Map<Txid, BroadcastResult> m = byTxid(results);
        for (SignedTransaction tx : good) {
            assertEquals(Outcome.ACCEPTED, m.get(tx.txid()).outcome(), m.get(tx.txid()).toString());
        }
        for (SignedTransaction tx : bad) {
            BroadcastResult r = m.get(tx.txid());
            assertEquals(Outcome.REJECTED, r.outcome(), r.toString());
            assertEquals("461", r.errorCode());
        }
    }

    @Test
    void broadcast_withACallbackUrl_asksForBatchedCallbacks_soABlocksMinedStatusesComeInOneRequest() throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> auth = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/cb", ex -> {
            bodies.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(ex.getRequestBody().readAllBytes()));
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        try {
            ArcSettings props = kit.arcProperties();
            props.setCallbackUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/cb");
            props.setCallbackToken("cb-token");
            List<SignedTransaction> txs = txs(4, kit.poolKey);
            new ArcTransactionBroadcaster(props).broadcast(txs);
            kit.chain.mineBlock();

            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (bodies.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // a wrongly split batch would show a second request by now
            assertEquals(1, bodies.size(), bodies.toString());
            assertEquals("Bearer cb-token", auth.get(0));
            assertEquals(4, bodies.get(0).get("count").asInt());
            java.util.Set<String> called = new java.util.HashSet<>();
            bodies.get(0).get("callbacks").forEach(c -> {
                assertEquals("MINED", c.get("txStatus").asText());
                called.add(c.get("txid").asText());
            });
            assertEquals(txs.stream().map(t -> t.txid().hex()).collect(java.util.stream.Collectors.toSet()), called);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void broadcast_resendOfTheSameBytes_isAcceptedAgainWithTheSameTxid() {
        List<SignedTransaction> txs = txs(3, kit.poolKey);
        arc.broadcast(txs);
        List<BroadcastResult> again = arc.broadcast(txs);
        for (BroadcastResult r : again) {
            assertEquals(Outcome.ACCEPTED, r.outcome(), r.toString());
        }
        assertEquals(txs.stream().map(SignedTransaction::txid).toList(), again.stream().map(BroadcastResult::txid).toList());
    }

    @Test
    void broadcast_aSecondTransactionSpendingTheSameInput_isAConflict() {
        FaucetOutput coin = kit.chain.faucet(kit.poolKey.p2pkhLockingScript(), 1000);
        Utxo in = coin.utxo();
        SignedTransaction first = PublishTransactions.build(List.of(in), kit.poolKey, kit.envelope("c1", 1), kit.poolKey.p2pkhLockingScript(), RATE);
        SignedTransaction second = PublishTransactions.build(List.of(in), kit.poolKey, kit.envelope("c2", 2), kit.poolKey.p2pkhLockingScript(), RATE);
        assertEquals(Outcome.ACCEPTED, arc.broadcast(List.of(first)).get(0).outcome());
        BroadcastResult r = arc.broadcast(List.of(second)).get(0);
        assertEquals(Outcome.CONFLICT, r.outcome(), r.toString());
    }

    @Test
    void broadcast_whenArcAnswers5xx_everyOutcomeIsUnknown() {
        List<SignedTransaction> txs = txs(2, kit.poolKey);
        kit.chain.faults().errorRate(1.0).errorStatus(503);
        for (BroadcastResult r : arc.broadcast(txs)) {
            assertEquals(Outcome.UNKNOWN, r.outcome());
        }
        kit.chain.faults().reset();
        for (BroadcastResult r : arc.broadcast(txs)) {
            assertEquals(Outcome.ACCEPTED, r.outcome());
        }
    }

    @Test
    void broadcast_whenTheResponseIsDroppedAfterAcceptance_isUnknownThenStatusSaysAccepted() {
        List<SignedTransaction> txs = txs(1, kit.poolKey);
        kit.chain.faults().dropResponseRate(1.0);
        assertEquals(Outcome.UNKNOWN, arc.broadcast(txs).get(0).outcome());
        kit.chain.faults().reset();
        assertEquals(Outcome.ACCEPTED, arc.status(txs.get(0).txid()).outcome());
    }

    @Test
    void broadcast_whileOrphaned_isInFlight() {
        List<SignedTransaction> txs = txs(1, kit.poolKey);
        kit.chain.faults().orphanForMs(60_000);
        BroadcastResult r = arc.broadcast(txs).get(0);
        assertEquals(Outcome.IN_FLIGHT, r.outcome(), r.toString());
    }

    @Test
    void status_ofAnUnknownTxid_isNotFound() {
        BroadcastResult r = arc.status(Txid.fromHex("ab".repeat(32)));
        assertEquals(Outcome.UNKNOWN, r.outcome());
        assertTrue(NetworkStatus.isNotFound(r));
    }

    @Test
    void status_afterMining_isMinedWithBlockData() {
        List<SignedTransaction> txs = txs(1, kit.poolKey);
        arc.broadcast(txs);
        kit.chain.mineBlock();
        BroadcastResult r = arc.status(txs.get(0).txid());
        assertEquals(Outcome.MINED, r.outcome());
        assertNotNull(r.blockHash());
        assertNotNull(r.blockHeight());
        assertNotNull(r.merklePathHex());
    }

    @Test
    void chunks_respectTheCountAndByteBounds() {
        ArcSettings p = kit.arcProperties();
        p.setMaxTxsPerRequest(4);
        ArcTransactionBroadcaster small = new ArcTransactionBroadcaster(p);
        List<SignedTransaction> txs = txs(10, kit.poolKey);
        assertEquals(List.of(4, 4, 2), small.chunks(txs).stream().map(List::size).toList());
        p.setMaxTxsPerRequest(500);
        p.setMaxRequestBytes(3 * (txs.get(0).size() + 40) * 2 + 100);
        assertTrue(new ArcTransactionBroadcaster(p).chunks(txs).stream().allMatch(c -> c.size() <= 3));
        for (BroadcastResult r : small.broadcast(txs)) {
            assertEquals(Outcome.ACCEPTED, r.outcome());
        }
    }

    @Test
    void broadcast_octetStreamBody_isAcceptedToo() {
        ArcSettings p = kit.arcProperties();
        p.setBodyFormat("octet-stream");
        List<SignedTransaction> txs = txs(3, kit.poolKey);
        for (BroadcastResult r : new ArcTransactionBroadcaster(p).broadcast(txs)) {
            assertEquals(Outcome.ACCEPTED, r.outcome(), r.toString());
        }
    }
}
