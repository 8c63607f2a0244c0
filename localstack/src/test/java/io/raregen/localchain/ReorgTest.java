package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.blocks.Bump;
import io.raregen.localchain.blocks.Hashes;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** POST /admin/reorg: blocks leave the chain, their transactions are mined again in a new block with a new hash. */
class ReorgTest {

    @Test
    void reorg_remineTheTransactionsInANewBlock_andTheOldHashIsGone() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            FaucetOutput f = chain.faucet(Txs.KEY.p2pkhLockingScript(), 5_000);
            chain.mineBlock();
            SignedTransaction t = Txs.publish(f.utxo(), "reorged");
            assertEquals(200, Arc.submit(chain, Txs.ef(t)).status());
            Block old = chain.mineBlock();
            assertEquals(2, old.height());
            JsonNode before = Arc.get(chain, "/v1/tx/" + t.txid()).body();
            assertEquals(old.hash(), before.get("blockHash").asText());

            Arc.Response r = Arc.post(chain, "/admin/reorg?blocks=1", "application/json", new byte[0]);
            assertEquals(200, r.status(), r.body().toString());
            assertEquals(old.hash(), r.body().get("removed").get(0).asText());
            assertEquals(1, r.body().get("returnedToMempool").asInt());
            Block fresh = chain.tip();
            assertEquals(2, fresh.height(), "one block out, one block in");
            assertNotEquals(old.hash(), fresh.hash());
            assertEquals(fresh.hash(), r.body().get("newBlock").get("hash").asText());

            JsonNode after = Arc.get(chain, "/v1/tx/" + t.txid()).body();
            assertEquals("MINED", after.get("txStatus").asText());
            assertEquals(fresh.hash(), after.get("blockHash").asText());
            byte[] bump = HexFormat.of().parseHex(after.get("merklePath").asText());
            assertArrayEquals(fresh.merkleRootInternal(), Bump.computeRoot(bump, t.txid().wireBytes()));

            assertEquals(404, Arc.get(chain, "/admin/blocks/" + old.hash()).status());
            JsonNode byHeight = Arc.get(chain, "/admin/blocks/2").body();
            assertEquals(fresh.hash(), byHeight.get("hash").asText());
            // the header the admin API hands out hashes to the block hash
            byte[] header = HexFormat.of().parseHex(byHeight.get("header").asText());
            assertEquals(80, header.length);
            assertEquals(fresh.hash(), Hashes.displayHex(Hashes.sha256d(header)));
        }
    }

    @Test
    void reorg_ofNothingOrTheGenesisBlock_isRefused() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            chain.mineBlock();
            assertEquals(400, Arc.post(chain, "/admin/reorg?blocks=2", "application/json", new byte[0]).status());
            assertEquals(400, Arc.post(chain, "/admin/reorg?blocks=0", "application/json", new byte[0]).status());
            assertEquals(400, Arc.post(chain, "/admin/reorg?blocks=x", "application/json", new byte[0]).status());
            assertEquals(400, Arc.post(chain, "/admin/reorg?blocks=-4294967295", "application/json", new byte[0]).status(),
                    "a count that wraps to 1 as an int");
            assertEquals(400, Arc.post(chain, "/admin/reorg?from=0", "application/json", new byte[0]).status());
            assertEquals(400, Arc.post(chain, "/admin/reorg?from=2", "application/json", new byte[0]).status());
            assertEquals(400, Arc.post(chain, "/admin/reorg?from=x", "application/json", new byte[0]).status());
            assertEquals(400, Arc.get(chain, "/admin/reorg").status(), "wrong method, as every admin route answers it");
            assertEquals(1, chain.tip().height(), "nothing left the chain");
        }
    }

    @Test
    void reorgFromAHeight_takesEveryBlockFromThereToTheTip() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            FaucetOutput f = chain.faucet(Txs.KEY.p2pkhLockingScript(), 5_000);
            chain.mineBlock();
            SignedTransaction t = Txs.publish(f.utxo(), "reorged from its height");
            assertEquals(200, Arc.submit(chain, Txs.ef(t)).status());
            Block mined = chain.mineBlock();
            // GIVEN the caller saw the tip at the transaction's block, and two more blocks came before it asked
            Block later = chain.mineBlock();
            Block tip = chain.mineBlock();

            Arc.Response r = Arc.post(chain, "/admin/reorg?from=" + mined.height(), "application/json", new byte[0]);

            assertEquals(200, r.status(), r.body().toString());
            assertEquals(List.of(mined.hash(), later.hash(), tip.hash()),
                    List.of(r.body().get("removed").get(0).asText(), r.body().get("removed").get(1).asText(),
                            r.body().get("removed").get(2).asText()));
            assertEquals(mined.height(), chain.tip().height(), "the new block takes the first removed height");
            JsonNode after = Arc.get(chain, "/v1/tx/" + t.txid()).body();
            assertEquals("MINED", after.get("txStatus").asText());
            assertEquals(chain.tip().hash(), after.get("blockHash").asText());
        }
    }
}
