package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.blocks.Bump;
import io.raregen.localchain.blocks.Hashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mining: MINED status with block data and a BUMP that proves the transaction against the block's root. */
class BlocksTest {

    @Test
    void mineBlock_marksTransactionsMined_withMerklePathsProvingTheRoot() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            List<FaucetOutput> in = chain.faucet(Txs.KEY.p2pkhLockingScript(), 5_000, 5);
            List<SignedTransaction> txs = new ArrayList<>();
            for (FaucetOutput f : in) {
                SignedTransaction t = Txs.publish(f.utxo(), "block");
                txs.add(t);
                assertEquals(200, Arc.submit(chain, Txs.ef(t)).status());
            }
            Block block = chain.mineBlock();
            assertEquals(1, block.height());
            assertEquals(7, block.txids().size(), "coinbase + faucet + 5");
            assertEquals(chain.tip(), block);
            assertEquals(chain.block(0).hash(), block.prevHash());
            for (SignedTransaction t : txs) {
                JsonNode s = Arc.get(chain, "/v1/tx/" + t.txid()).body();
                assertEquals("MINED", s.get("txStatus").asText());
                assertEquals(block.hash(), s.get("blockHash").asText());
                assertEquals(1, s.get("blockHeight").asLong());
                byte[] bump = HexFormat.of().parseHex(s.get("merklePath").asText());
                assertArrayEquals(block.merkleRootInternal(), Bump.computeRoot(bump, t.txid().wireBytes()));
            }
            Arc.Response answer = Arc.get(chain, "/admin/blocks/1");
            JsonNode b = answer.body();
            assertEquals(block.merkleRoot(), b.get("merkleRoot").asText());
            assertEquals(txs.get(0).txid().hex(), b.get("txids").get(2).asText());
            // the 80-byte header hashes to the block hash and holds the root: a browser can check it (CORS allows it)
            byte[] header = HexFormat.of().parseHex(b.get("header").asText());
            assertEquals(80, header.length);
            assertEquals(block.hash(), Hashes.displayHex(Hashes.sha256d(header)));
            assertArrayEquals(block.merkleRootInternal(), java.util.Arrays.copyOfRange(header, 36, 68));
            assertEquals("*", answer.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        }
    }

    @Test
    void mineBlock_withUnconfirmedChain_includesParentBeforeChild_andNextBlockIsEmpty() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            Utxo in = chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo();
            SignedTransaction parent = Txs.pay(in, 5_000);
            SignedTransaction child = Txs.pay(Txs.output(parent, 0), 1_000);
            Arc.submitAll(chain, List.of(Txs.ef(parent), Txs.ef(child)));
            Block b1 = chain.mineBlock();
            assertTrue(b1.txids().indexOf(parent.txid().hex()) < b1.txids().indexOf(child.txid().hex()));
            Block b2 = chain.mineBlock();
            assertEquals(1, b2.txids().size(), "only the coinbase");
            assertEquals(2, b2.height());
            // the header hash is the double SHA-256 of a real 80-byte header: recompute the root from the txids
            List<byte[]> leaves = new ArrayList<>();
            b1.txids().forEach(t -> leaves.add(Hashes.internalFromDisplayHex(t)));
            assertArrayEquals(io.raregen.localchain.blocks.MerkleTree.build(leaves).root(), b1.merkleRootInternal());
        }
    }

    @Test
    void blockInterval_minesWithoutBeingAsked() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().blockInterval(Duration.ofMillis(200)).build())) {
            SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "auto");
            Arc.submit(chain, Txs.ef(t));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (chain.status(t.txid()).status() != TxStatus.MINED && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(TxStatus.MINED, chain.status(t.txid()).status());
        }
    }

    @Test
    void waitForMined_blocksUntilTheBlock() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().blockInterval(Duration.ofMillis(300)).build())) {
            SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "wait");
            Arc.Response r = Arc.submit(chain, Txs.ef(t), "X-WaitFor", "MINED", "X-MaxTimeout", "20");
            assertEquals("MINED", r.body().get("txStatus").asText());
            assertTrue(!r.body().get("merklePath").asText().isEmpty());
        }
    }
}
