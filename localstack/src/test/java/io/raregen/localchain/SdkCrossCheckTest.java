package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.ledger.LedgerState;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The independent check: every transaction the chain accepted passes @bsv/sdk's script
 * interpreter (FORKID required), and every BUMP it emitted computes the block's merkle root with
 * @bsv/sdk's MerklePath. Negative controls prove the checker does reject.
 */
class SdkCrossCheckTest {
    private static final Path JS = Path.of("src", "test", "js");

    @Test
    void acceptedTransactionsAndMerklePaths_passBsvSdk() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            // block 1: 3 independent publishes, a 3-input payment and a parent/child chain (raw child)
            List<FaucetOutput> f = chain.faucet(Txs.KEY.p2pkhLockingScript(), 3_000, 9);
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                batch.add(Txs.ef(Txs.publish(f.get(i).utxo(), "{\"record\":" + i + "}")));
            }
            SignedTransaction multi = Txs.pay(List.of(f.get(3).utxo(), f.get(4).utxo(), f.get(5).utxo()), 7_000);
            batch.add(Txs.ef(multi));
            SignedTransaction parent = Txs.pay(f.get(6).utxo(), 1_000);
            SignedTransaction child = Txs.publish(Txs.output(parent, 1), "child");
            batch.add(Txs.ef(parent));
            batch.add(child.raw());
            assertAllSeen(Arc.submitAll(chain, batch));
            Block b1 = chain.mineBlock();
            // block 2: spends confirmed outputs, odd count
            List<byte[]> batch2 = new ArrayList<>();
            batch2.add(Txs.ef(Txs.publish(Txs.output(multi, 1), "after")));
            batch2.add(Txs.ef(Txs.publish(f.get(7).utxo(), "x")));
            assertAllSeen(Arc.submitAll(chain, batch2));
            chain.mineBlock();
            // block 3: one transaction (with the coinbase: two leaves)
            assertAllSeen(Arc.submitAll(chain, List.of(Txs.ef(Txs.publish(f.get(8).utxo(), "last")))));
            chain.mineBlock();

            LedgerState state = chain.export();
            ObjectNode input = Arc.JSON.createObjectNode();
            ArrayNode txs = input.putArray("transactions");
            ArrayNode proofs = input.putArray("proofs");
            Map<String, Boolean> expectValid = new HashMap<>();
            Map<String, Boolean> expectMatch = new HashMap<>();
            int checkedTxs = 0;
            for (LedgerState.TxRecord t : state.transactions()) {
                assertEquals("MINED", t.txStatus(), t.txid());
                ObjectNode p = proofs.addObject();
                p.put("txid", t.txid());
                p.put("merklePath", t.merklePath());
                p.put("merkleRoot", chain.block(t.blockHeight()).merkleRoot());
                p.put("blockHeight", t.blockHeight());
                expectMatch.put(t.txid(), true);
                if (t.faucet()) {
                    continue; // the faucet's coinbase-like input has nothing to verify
                }
                ObjectNode n = txs.addObject();
                n.put("txid", t.txid());
                n.put("rawTx", t.rawTx());
                ArrayNode ps = n.putArray("prevouts");
                for (LedgerState.Prevout pv : t.prevouts()) {
                    ps.addObject().put("satoshis", pv.satoshis()).put("lockingScript", pv.lockingScript());
                }
                expectValid.put(t.txid(), true);
                checkedTxs++;
            }
            assertEquals(9, checkedTxs);

            // negative controls: never submitted, must fail in the SDK too
            Utxo u = f.get(0).utxo();
            byte[] noForkId = Txs.manual(List.of(u), List.of(Txs.p2pkh(Txs.KEY, 2_000)), Txs.KEY, 0x01);
            byte[] wrongKey = Txs.manual(List.of(u), List.of(Txs.p2pkh(Txs.KEY, 2_000)), Txs.OTHER, 0x41);
            for (byte[] bad : List.of(noForkId, wrongKey)) {
                ObjectNode n = txs.addObject();
                n.put("txid", Txs.txid(bad));
                n.put("rawTx", Txs.hex(bad));
                n.putArray("prevouts").addObject().put("satoshis", u.satoshis().value()).put("lockingScript", Txs.hex(u.lockingScript()));
                expectValid.put(Txs.txid(bad), false);
            }
            ObjectNode wrongRoot = proofs.addObject();
            String someTxid = b1.txids().get(1);
            wrongRoot.put("txid", someTxid);
            wrongRoot.put("merklePath", chain.status(someTxid).merklePath());
            wrongRoot.put("merkleRoot", chain.block(2).merkleRoot()); // another block's root
            wrongRoot.put("blockHeight", 1);

            JsonNode out = runNode(input);
            Map<String, Boolean> gotValid = new HashMap<>();
            out.get("transactions").forEach(n -> gotValid.put(n.get("txid").asText(), n.get("valid").asBoolean()));
            assertEquals(expectValid, gotValid, out.toString());
            int matched = 0;
            boolean negativeProofMatched = false;
            for (JsonNode p : out.get("proofs")) {
                if (p.get("txid").asText().equals(someTxid) && p == out.get("proofs").get(out.get("proofs").size() - 1)) {
                    negativeProofMatched = p.get("matches").asBoolean();
                } else {
                    assertTrue(p.get("matches").asBoolean(), p.toString());
                    matched++;
                }
            }
            assertEquals(expectMatch.size(), matched);
            assertFalse(negativeProofMatched, "a path checked against another block's root must not match");
            assertEquals("2.1.0", out.get("sdkVersion").asText());
        }
    }

    private static void assertAllSeen(Arc.Response r) {
        assertEquals(200, r.status());
        r.body().forEach(n -> assertEquals("SEEN_ON_NETWORK", n.get("txStatus").asText(), n.toString()));
    }

    private static JsonNode runNode(ObjectNode input) throws Exception {
        assertTrue(Files.isDirectory(JS.resolve("node_modules").resolve("@bsv").resolve("sdk")),
                "run the Maven build (npm ci in src/test/js) first");
        Path file = Files.createTempFile("localchain-sdk-check", ".json");
        Path stdout = Files.createTempFile("localchain-sdk-check", ".out");
        try {
            Files.writeString(file, Arc.JSON.writeValueAsString(input));
            Process p = new ProcessBuilder("node", "verify.js", file.toAbsolutePath().toString())
                    .directory(JS.toFile()).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
            assertEquals(0, p.exitValue());
            return Arc.JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(stdout);
        }
    }
}
