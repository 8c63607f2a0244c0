package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One test per acceptance rule, through POST /v1/tx (real HTTP, in-process chain). */
class LedgerRulesTest {
    private static LocalChain chain;

    @BeforeAll
    static void start() {
        chain = LocalChain.start(LocalChainConfig.builder().manualMining().maxChainDepth(1000).build());
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static Utxo funding(long sats) {
        return chain.faucet(Txs.KEY.p2pkhLockingScript(), sats).utxo();
    }

    @Test
    void submit_validExtendedFormat_isSeenOnNetwork() throws Exception {
        SignedTransaction tx = Txs.publish(funding(10_000), "hello");
        Arc.Response r = Arc.submit(chain, Txs.ef(tx));
        assertEquals(200, r.status());
        assertEquals("SEEN_ON_NETWORK", r.body().get("txStatus").asText());
        assertEquals(tx.txid().hex(), r.body().get("txid").asText());
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(tx.txid()).status());
    }

    @Test
    void submit_rawWithParentInLedger_isAccepted() throws Exception {
        SignedTransaction tx = Txs.pay(funding(10_000), 5_000);
        Arc.Response r = Arc.submit(chain, tx.raw());
        assertEquals(200, r.status());
        assertEquals("SEEN_ON_NETWORK", r.body().get("txStatus").asText());
    }

    @Test
    void submit_badSignature_is461() throws Exception {
        Utxo in = funding(10_000);
        // signed by another key whose public key does not match the locking script's hash
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 9_000)), Txs.OTHER, 0x41);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)));
        assertEquals(461, r.status());
        assertEquals(461, r.body().get("status").asInt());
        assertEquals(Txs.txid(raw), r.body().get("txid").asText());
        assertTrue(r.body().has("type") && r.body().has("title") && r.body().has("detail")
                && r.body().has("instance") && r.body().has("extraInfo"));
        assertEquals(404, Arc.get(chain, "/v1/tx/" + Txs.txid(raw)).status());
    }

    @Test
    void submit_signatureOverOtherData_is461() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 9_000)), Txs.KEY, 0x41);
        // the output value sits before: script length (1) + P2PKH script (25) + lock time (4)
        byte[] tampered = raw.clone();
        tampered[raw.length - 4 - 25 - 1 - 8] ^= 0x01;
        assertEquals(461, Arc.submit(chain, Txs.ef(tampered, List.of(in))).status());
        assertEquals(200, Arc.submit(chain, Txs.ef(raw, List.of(in))).status(), "control: the untouched one passes");
    }

    @Test
    void submit_signatureWithoutForkId_is461() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 9_000)), Txs.KEY, 0x01);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)));
        assertEquals(461, r.status());
        assertTrue(r.body().get("detail").asText().contains("FORKID"), r.body().toString());
    }

    @Test
    void submit_withSkipScriptValidationHeader_acceptsBadSignature() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 9_000)), Txs.OTHER, 0x41);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)), "X-SkipScriptValidation", "true");
        assertEquals(200, r.status());
        assertEquals("SEEN_ON_NETWORK", r.body().get("txStatus").asText());
    }

    @Test
    void submit_inputSpentInMinedBlock_isRejected() throws Exception {
        Utxo in = funding(10_000);
        SignedTransaction first = Txs.pay(in, 5_000);
        assertEquals(200, Arc.submit(chain, Txs.ef(first)).status());
        chain.mineBlock();
        SignedTransaction second = Txs.pay(in, 4_000);
        Arc.Response r = Arc.submit(chain, Txs.ef(second));
        assertEquals(200, r.status());
        assertEquals("REJECTED", r.body().get("txStatus").asText());
        assertEquals(first.txid().hex(), r.body().get("competingTxs").get(0).asText());
        assertEquals(TxStatus.MINED, chain.status(first.txid()).status());
    }

    @Test
    void submit_secondSpendOfSameOutpoint_isDoubleSpendAttempted_andFirstRemains() throws Exception {
        Utxo in = funding(10_000);
        SignedTransaction first = Txs.pay(in, 5_000);
        SignedTransaction second = Txs.pay(in, 4_000);
        assertEquals("SEEN_ON_NETWORK", Arc.submit(chain, Txs.ef(first)).body().get("txStatus").asText());
        Arc.Response r = Arc.submit(chain, Txs.ef(second));
        assertEquals(200, r.status());
        assertEquals("DOUBLE_SPEND_ATTEMPTED", r.body().get("txStatus").asText());
        assertEquals(List.of(first.txid().hex()), List.of(r.body().get("competingTxs").get(0).asText()));
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(first.txid()).status());
        assertEquals("DOUBLE_SPEND_ATTEMPTED", Arc.get(chain, "/v1/tx/" + second.txid()).body().get("txStatus").asText());

        chain.mineBlock();
        assertEquals(TxStatus.MINED, chain.status(first.txid()).status());
        assertEquals(TxStatus.REJECTED, chain.status(second.txid()).status());
    }

    @Test
    void concurrentSpendsOfOneOutpoint_exactlyOneIsAccepted() throws Exception {
        Utxo in = funding(100_000);
        List<SignedTransaction> rivals = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rivals.add(Txs.pay(in, 1_000 + i));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (SignedTransaction t : rivals) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return Arc.submit(chain, Txs.ef(t)).body().get("txStatus").asText();
                }));
            }
            go.countDown();
            List<String> statuses = new java.util.ArrayList<>();
            for (var a : answers) {
                statuses.add(a.get());
            }
            assertEquals(1, statuses.stream().filter("SEEN_ON_NETWORK"::equals).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter("DOUBLE_SPEND_ATTEMPTED"::equals).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void submit_rawWithUnknownInput_is460() throws Exception {
        Utxo ghost = new Utxo(new io.raregen.core.types.Outpoint(io.raregen.core.types.Txid.fromHex("ab".repeat(32)), 0),
                io.raregen.core.types.Satoshis.of(10_000), Txs.KEY.p2pkhLockingScript());
        SignedTransaction tx = Txs.pay(ghost, 5_000);
        Arc.Response r = Arc.submit(chain, tx.raw());
        assertEquals(460, r.status());
    }

    @Test
    void submit_extendedWithUnknownInput_isOrphan_untilParentArrives() throws Exception {
        Utxo in = funding(10_000);
        SignedTransaction parent = Txs.pay(in, 5_000);
        SignedTransaction child = Txs.pay(Txs.output(parent, 0), 2_000);
        Arc.Response orphan = Arc.submit(chain, Txs.ef(child));
        assertEquals(200, orphan.status());
        assertEquals("SEEN_IN_ORPHAN_MEMPOOL", orphan.body().get("txStatus").asText());

        assertEquals("SEEN_ON_NETWORK", Arc.submit(chain, Txs.ef(parent)).body().get("txStatus").asText());
        assertEquals(TxStatus.SEEN_ON_NETWORK, chain.status(child.txid()).status());
    }

    @Test
    void submit_feeBelowPolicy_is465() throws Exception {
        Utxo in = funding(10_000);
        // all 10,000 sats out again: fee 0 against a minimum of ceil(size / 1000) = 1
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 10_000)), Txs.KEY, 0x41);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)));
        assertEquals(465, r.status());
        assertTrue(r.body().get("detail").asText().contains("minimum expected fee: 1, actual fee: 0"), r.body().toString());
    }

    @Test
    void submit_feeExactlyAtPolicy_isAccepted() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 9_999)), Txs.KEY, 0x41);
        assertEquals(200, Arc.submit(chain, Txs.ef(raw, List.of(in))).status());
    }

    @Test
    void submit_dataOutputWithValue_is464() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.data("x".getBytes(), 1), Txs.p2pkh(Txs.KEY, 9_000)), Txs.KEY, 0x41);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)));
        assertEquals(464, r.status());
    }

    @Test
    void submit_spendableOutputOfZeroSats_is464() throws Exception {
        Utxo in = funding(10_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 0), Txs.p2pkh(Txs.KEY, 9_000)), Txs.KEY, 0x41);
        Arc.Response r = Arc.submit(chain, Txs.ef(raw, List.of(in)));
        assertEquals(464, r.status());
        assertTrue(r.body().get("detail").asText().contains("at least 1"));
    }

    @Test
    void submit_outputsAboveInputs_is462() throws Exception {
        Utxo in = funding(1_000);
        byte[] raw = Txs.manual(List.of(in), List.of(Txs.p2pkh(Txs.KEY, 2_000)), Txs.KEY, 0x41);
        assertEquals(462, Arc.submit(chain, Txs.ef(raw, List.of(in))).status());
    }

    @Test
    void submit_efPrevoutThatLies_is461() throws Exception {
        Utxo in = funding(10_000);
        Utxo lie = new Utxo(in.outpoint(), io.raregen.core.types.Satoshis.of(20_000), in.lockingScript());
        byte[] raw = Txs.manual(List.of(lie), List.of(Txs.p2pkh(Txs.KEY, 15_000)), Txs.KEY, 0x41);
        assertEquals(461, Arc.submit(chain, Txs.ef(raw, List.of(lie))).status());
    }

    @Test
    void submit_chainOfUnconfirmedTransactions_isAcceptedUpToTheLimit_thenRejected() throws Exception {
        try (LocalChain shallow = LocalChain.start(LocalChainConfig.builder().manualMining().maxChainDepth(3).build())) {
            Utxo next = shallow.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo();
            for (int depth = 1; depth <= 3; depth++) {
                SignedTransaction tx = Txs.pay(next, 100);
                assertEquals("SEEN_ON_NETWORK", Arc.submit(shallow, Txs.ef(tx)).body().get("txStatus").asText(), "depth " + depth);
                next = Txs.output(tx, 1);
            }
            SignedTransaction tooDeep = Txs.pay(next, 100);
            Arc.Response r = Arc.submit(shallow, Txs.ef(tooDeep));
            assertEquals("REJECTED", r.body().get("txStatus").asText());
            assertTrue(r.body().get("extraInfo").asText().contains("too-long-mempool-chain"));

            shallow.mineBlock(); // confirms the chain: the same transaction now has depth 1
            assertEquals("SEEN_ON_NETWORK", Arc.submit(shallow, Txs.ef(tooDeep)).body().get("txStatus").asText());
        }
    }

    @Test
    void submit_transactionUnder61Bytes_is463() throws Exception {
        // one input with an empty unlocking script and one 1-byte-script output: 4+1+41+1+8+1+1+4 = 61... make it 60
        Utxo in = funding(10_000);
        byte[] raw = io.raregen.core.tx.RawTransaction.serialize(1,
                List.of(new io.raregen.core.tx.RawTransaction.Input(in.outpoint(), new byte[0], 0xffffffffL)),
                List.of(new TxOutput(io.raregen.core.types.Satoshis.of(9_000), new byte[0])), 0);
        assertEquals(60, raw.length);
        Arc.Response r = Arc.submit(chain, raw, "X-SkipScriptValidation", "true");
        assertEquals(463, r.status());
    }

    @Test
    void submit_transactionOverMaxTxSize_is474() throws Exception {
        try (LocalChain small = LocalChain.start(LocalChainConfig.builder().manualMining().maxTxSize(200).build())) {
            Utxo in = small.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo();
            SignedTransaction tx = Txs.publish(in, "x".repeat(150));
            Arc.Response r = Arc.submit(small, Txs.ef(tx));
            assertEquals(474, r.status());
            assertEquals(200, Arc.get(small, "/v1/policy").status());
            assertEquals(200, Arc.get(small, "/v1/policy").body().at("/policy/maxtxsizepolicy").asInt());
        }
    }
}
