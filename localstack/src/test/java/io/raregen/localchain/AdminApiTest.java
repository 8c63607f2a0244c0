package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.localchain.ledger.LedgerState;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Faucet, mining, export and the state file over the admin API and the Java API. */
class AdminApiTest {

    private static Arc.Response postJson(LocalChain chain, String path, String json) throws Exception {
        return Arc.send(HttpRequest.newBuilder(URI.create(chain.arcUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void faucetByAddress_createsSpendableOutput_andMineConfirmsIt() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            String address = Txs.KEY.address(Network.REGTEST);
            JsonNode f = postJson(chain, "/admin/faucet", "{\"address\":\"" + address + "\",\"satoshis\":50000}").body();
            assertEquals(Txs.hex(Txs.KEY.p2pkhLockingScript()), f.get("lockingScript").asText());
            assertEquals(50_000, f.get("satoshis").asLong());
            Utxo u = new Utxo(new Outpoint(Txid.fromHex(f.get("txid").asText()), 0), Satoshis.of(50_000), Txs.KEY.p2pkhLockingScript());
            // raw (not EF) works: the ledger knows the faucet output
            SignedTransaction t = Txs.pay(u, 10_000);
            assertEquals("SEEN_ON_NETWORK", Arc.submit(chain, t.raw()).body().get("txStatus").asText());
            assertEquals("SEEN_ON_NETWORK", Arc.get(chain, "/v1/tx/" + f.get("txid").asText()).body().get("txStatus").asText());

            JsonNode block = postJson(chain, "/admin/mine", "").body();
            assertEquals(1, block.get("height").asLong());
            assertEquals(3, block.get("txids").size());
            assertEquals("MINED", Arc.get(chain, "/v1/tx/" + t.txid()).body().get("txStatus").asText());
            assertEquals(2, Arc.get(chain, "/admin/blocks").body().size());
            assertEquals(1, Arc.get(chain, "/admin/stats").body().get("height").asLong());
        }
    }

    @Test
    void faucetByScript_withSeveralOutputs() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            JsonNode f = postJson(chain, "/admin/faucet", "{\"script\":\"" + Txs.hex(Txs.KEY.p2pkhLockingScript())
                    + "\",\"satoshis\":1000,\"outputs\":3}").body();
            assertEquals(3, io.raregen.core.tx.RawTransaction.parse(HexFormat.of().parseHex(f.get("rawTx").asText())).outputs().size());
            assertEquals(400, postJson(chain, "/admin/faucet", "{\"satoshis\":1000}").status());
            assertEquals(400, postJson(chain, "/admin/faucet", "{\"address\":\"nope\",\"satoshis\":1000}").status());
        }
    }

    @Test
    void export_listsEveryAcceptedTransactionWithPrevouts() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            FaucetOutput f = chain.faucet(Txs.KEY.p2pkhLockingScript(), 20_000);
            SignedTransaction t = Txs.publish(f.utxo(), "export");
            Arc.submit(chain, Txs.ef(t));
            chain.mineBlock();
            JsonNode export = Arc.get(chain, "/admin/export").body();
            JsonNode txs = export.get("transactions");
            assertEquals(2, txs.size());
            assertTrue(txs.get(0).get("faucet").asBoolean());
            JsonNode mine = txs.get(1);
            assertEquals(t.txid().hex(), mine.get("txid").asText());
            assertEquals(t.rawHex(), mine.get("rawTx").asText());
            assertEquals(f.txid().hex(), mine.at("/prevouts/0/txid").asText());
            assertEquals(20_000, mine.at("/prevouts/0/satoshis").asLong());
            assertEquals(Txs.hex(f.script()), mine.at("/prevouts/0/lockingScript").asText());
            assertEquals("MINED", mine.get("txStatus").asText());
            assertEquals(2, export.get("blocks").size());
        }
    }

    @Test
    void stateFile_survivesRestart() throws Exception {
        Path dir = Files.createTempDirectory("localchain-state");
        Path file = dir.resolve("chain.json");
        LocalChainConfig config = LocalChainConfig.builder().manualMining().stateFile(file).build();
        SignedTransaction mined;
        SignedTransaction pending;
        Utxo spent;
        String tipHash;
        try (LocalChain chain = LocalChain.start(config)) {
            spent = chain.faucet(Txs.KEY.p2pkhLockingScript(), 20_000).utxo();
            mined = Txs.pay(spent, 5_000);
            Arc.submit(chain, Txs.ef(mined));
            tipHash = chain.mineBlock().hash();
            pending = Txs.pay(Txs.output(mined, 1), 1_000);
            Arc.submit(chain, Txs.ef(pending));
        }
        assertTrue(Files.size(file) > 0);
        try (LocalChain again = LocalChain.start(config)) {
            assertEquals(1, again.tip().height());
            assertEquals(tipHash, again.tip().hash());
            assertEquals(TxStatus.MINED, again.status(mined.txid()).status());
            assertEquals(TxStatus.SEEN_ON_NETWORK, again.status(pending.txid()).status());
            // the spent faucet output stays spent; the unspent change of `pending` is spendable with a raw tx
            assertEquals("REJECTED", Arc.submit(again, Txs.ef(Txs.pay(spent, 7_000))).body().get("txStatus").asText());
            SignedTransaction next = Txs.pay(Txs.output(pending, 1), 500);
            assertEquals("SEEN_ON_NETWORK", Arc.submit(again, next.raw()).body().get("txStatus").asText());
            again.mineBlock();
            assertEquals(TxStatus.MINED, again.status(pending.txid()).status());
            LedgerState state = again.export();
            assertEquals(4, state.transactions().size(), "faucet, mined, pending, next; the rejected one is not exported");
        }
    }
}
