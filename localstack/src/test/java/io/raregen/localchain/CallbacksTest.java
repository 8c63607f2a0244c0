package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.blocks.Bump;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** X-CallbackUrl / X-CallbackToken / X-FullStatusUpdates: ARC payloads, Bearer token, retries. */
class CallbacksTest {

    private static LocalChainConfig config() {
        return LocalChainConfig.builder().manualMining()
                .callbackInitialBackoff(Duration.ofMillis(20)).callbackMaxBackoff(Duration.ofMillis(100)).build();
    }

    @Test
    void mined_isCalledBack_withBearerToken_andRetriedAfterFailures() throws Exception {
        try (LocalChain chain = LocalChain.start(config()); CallbackReceiver receiver = new CallbackReceiver(2)) {
            SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "cb");
            Arc.submit(chain, Txs.ef(t), "X-CallbackUrl", receiver.url(), "X-CallbackToken", "s3cret");
            Block block = chain.mineBlock();

            CallbackReceiver.Received r = receiver.awaitAccepted(x -> true, Duration.ofSeconds(10));
            assertEquals("Bearer s3cret", r.authorization());
            assertEquals(t.txid().hex(), r.body().get("txid").asText());
            assertEquals("MINED", r.body().get("txStatus").asText());
            assertEquals(block.hash(), r.body().get("blockHash").asText());
            assertEquals(block.height(), r.body().get("blockHeight").asLong());
            assertTrue(r.body().has("timestamp"));
            byte[] bump = HexFormat.of().parseHex(r.body().get("merklePath").asText());
            assertArrayEquals(block.merkleRootInternal(), Bump.computeRoot(bump, t.txid().wireBytes()));
            assertEquals(3, receiver.received.size(), "two failed deliveries, then the accepted one");
            assertTrue(receiver.received.stream().allMatch(x -> x.body().get("txStatus").asText().equals("MINED")));
        }
    }

    @Test
    void withoutFullStatusUpdates_onlyFinalStatusesAreCalledBack() throws Exception {
        try (LocalChain chain = LocalChain.start(config()); CallbackReceiver receiver = new CallbackReceiver(0)) {
            SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "cb");
            Arc.submit(chain, Txs.ef(t), "X-CallbackUrl", receiver.url());
            chain.mineBlock();
            receiver.awaitAccepted(x -> x.body().get("txStatus").asText().equals("MINED"), Duration.ofSeconds(10));
            Thread.sleep(200); // give a wrongly sent intermediate callback time to show up
            assertEquals(1, receiver.received.size(), receiver.received.toString());
            assertEquals(null, receiver.received.get(0).authorization(), "no token, no Authorization header");
        }
    }

    @Test
    void fullStatusUpdates_reportSeenOnNetworkAndDoubleSpend_thenRejectedWhenCompetitorMined() throws Exception {
        try (LocalChain chain = LocalChain.start(config()); CallbackReceiver receiver = new CallbackReceiver(0)) {
            Utxo in = chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo();
            SignedTransaction first = Txs.pay(in, 5_000);
            SignedTransaction second = Txs.pay(in, 4_000);
            Arc.submit(chain, Txs.ef(first), "X-CallbackUrl", receiver.url(), "X-FullStatusUpdates", "true");
            Arc.submit(chain, Txs.ef(second), "X-CallbackUrl", receiver.url(), "X-FullStatusUpdates", "true");
            receiver.awaitAccepted(x -> x.body().get("txid").asText().equals(first.txid().hex())
                    && x.body().get("txStatus").asText().equals("SEEN_ON_NETWORK"), Duration.ofSeconds(10));
            CallbackReceiver.Received ds = receiver.awaitAccepted(x -> x.body().get("txid").asText().equals(second.txid().hex())
                    && x.body().get("txStatus").asText().equals("DOUBLE_SPEND_ATTEMPTED"), Duration.ofSeconds(10));
            assertEquals(first.txid().hex(), ds.body().get("competingTxs").get(0).asText());
            chain.mineBlock();
            receiver.awaitAccepted(x -> x.body().get("txid").asText().equals(second.txid().hex())
                    && x.body().get("txStatus").asText().equals("REJECTED"), Duration.ofSeconds(10));
            receiver.awaitAccepted(x -> x.body().get("txid").asText().equals(first.txid().hex())
                    && x.body().get("txStatus").asText().equals("MINED"), Duration.ofSeconds(10));
        }
    }

    @Test
    void deliveries_areBounded_whenTheReceiverAlwaysFails() throws Exception {
        LocalChainConfig c = config().toBuilder().callbackMaxAttempts(3).build();
        try (LocalChain chain = LocalChain.start(c); CallbackReceiver receiver = new CallbackReceiver(1000)) {
            SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "cb");
            Arc.submit(chain, Txs.ef(t), "X-CallbackUrl", receiver.url());
            chain.mineBlock();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (chain.callbacks().abandoned() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, chain.callbacks().abandoned());
            assertEquals(3, receiver.received.size());
        }
    }

    @Test
    void callbackBatch_gathersABlocksCallbacksIntoArcsBatchedForm_retriedAsAWhole_andCounted() throws Exception {
        try (LocalChain chain = LocalChain.start(config()); CallbackReceiver receiver = new CallbackReceiver(1)) {
            java.util.Set<String> batched = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                SignedTransaction t = Txs.publish(chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000).utxo(), "b" + i);
                Arc.submit(chain, Txs.ef(t), "X-CallbackUrl", receiver.url(), "X-CallbackToken", "s3cret",
                        "X-CallbackBatch", "true");
                batched.add(t.txid().hex());
            }
            Block block = chain.mineBlock();

            CallbackReceiver.Received batch = receiver.awaitAccepted(x -> x.body().has("callbacks"), Duration.ofSeconds(10));
            assertEquals("Bearer s3cret", batch.authorization());
            assertEquals(3, batch.body().get("count").asInt());
            java.util.Set<String> got = new java.util.HashSet<>();
            for (var cb : batch.body().get("callbacks")) {
                assertEquals("MINED", cb.get("txStatus").asText());
                assertEquals(block.hash(), cb.get("blockHash").asText());
                got.add(cb.get("txid").asText());
            }
            assertEquals(batched, got, "one request carries the block's three batched callbacks");
            long batchRequests = receiver.received.stream().filter(x -> x.body().has("callbacks")).count();
            assertEquals(2, batchRequests, "the first try failed and the whole batch was sent again");
            var stats = Arc.get(chain, "/admin/stats").body();
            assertEquals(1, stats.get("callbackBatches").asLong());
            assertEquals(3, stats.get("callbacksDelivered").asLong());
        }
    }
}
