package io.raregen.broadcaster.utxo;

import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Txid;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dirty UTXOs settled by asking the (local) network about the competing transactions. */
class DirtyUtxoCheckerTest {
    private static LocalChain chain;
    private static ArcTransactionBroadcaster arc;

    @BeforeAll
    static void start() {
        chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
        ArcSettings p = new ArcSettings();
        p.setUrl(chain.arcUrl());
        arc = new ArcTransactionBroadcaster(p);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static DirtyUtxoChecker checker(UtxoPool pool, Duration abandonAfter) {
        return new DirtyUtxoChecker(pool, arc, Clock.systemUTC(), Duration.ZERO, abandonAfter);
    }

    @Test
    void runOnce_whenEveryCompetitorWasRefused_restoresTheUtxo() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        List<FaucetOutput> f = chain.faucet(PoolTestData.POOL_KEY.p2pkhLockingScript(), 1_000, 2);
        Utxo u = f.get(0).utxo();
        Utxo v = f.get(1).utxo();
        pool.add(List.of(u), Purpose.PUBLISH, 1);
        // C2 spends v and is mined; C1 spent u and v, so the chain refuses it for good: u is still unspent
        SignedTransaction c2 = new TransactionBuilder().addInput(v)
                .changeTo(KeyPair.generate().p2pkhLockingScript()).sign(PoolTestData.POOL_KEY, FeeRate.perKb(1));
        SignedTransaction c1 = new TransactionBuilder().addInput(u).addInput(v)
                .changeTo(KeyPair.generate().p2pkhLockingScript()).sign(PoolTestData.POOL_KEY, FeeRate.perKb(1));
        assertEquals(BroadcastResult.Outcome.ACCEPTED, arc.broadcast(List.of(c2)).get(0).outcome());
        assertEquals(BroadcastResult.Outcome.CONFLICT, arc.broadcast(List.of(c1)).get(0).outcome());
        pool.markDirty(u.outpoint(), "conflict: DOUBLE_SPEND_ATTEMPTED competing [" + c1.txid() + "]");
        assertEquals(1, checker(pool, Duration.ofHours(24)).runOnce(10).undecided(), "not final before a block");
        chain.mineBlock();

        DirtyUtxoChecker.Result r = checker(pool, Duration.ofHours(24)).runOnce(10);

        assertEquals(1, r.restored());
        assertEquals(1, pool.snapshot().publishAvailable());
    }

    @Test
    void runOnce_whenACompetitorWasAccepted_retiresTheUtxoForGood() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        FaucetOutput f = chain.faucet(PoolTestData.POOL_KEY.p2pkhLockingScript(), 1_000);
        pool.add(List.of(f.utxo()), Purpose.PUBLISH, 1);
        SignedTransaction winner = new TransactionBuilder().addInput(f.utxo())
                .changeTo(KeyPair.generate().p2pkhLockingScript()).sign(PoolTestData.POOL_KEY, FeeRate.perKb(1));
        assertEquals(BroadcastResult.Outcome.ACCEPTED, arc.broadcast(List.of(winner)).get(0).outcome());
        pool.markDirty(f.outpoint(), "conflict competing [" + winner.txid() + "]");

        DirtyUtxoChecker.Result r = checker(pool, Duration.ofHours(24)).runOnce(10);

        assertEquals(1, r.retired());
        assertEquals("retired", pool.status(f.outpoint()).orElseThrow());
        pool.restore(f.outpoint());
        assertEquals(0, pool.snapshot().publishAvailable(), "proven spent elsewhere: never comes back");
    }

    @Test
    void runOnce_withNothingProvable_waitsThenRetiresAfterTheAbandonPeriod() {
        InMemoryUtxoPool pool = new InMemoryUtxoPool();
        Utxo u = PoolTestData.utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.markDirty(u.outpoint(), "missing inputs");

        assertEquals(1, checker(pool, Duration.ofHours(1)).runOnce(10).undecided());
        assertEquals("available", pool.status(u.outpoint()).orElseThrow());

        DirtyUtxoChecker later = new DirtyUtxoChecker(pool, arc,
                Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC), Duration.ZERO, Duration.ofHours(1));
        assertEquals(1, later.runOnce(10).retired());
        assertEquals("retired", pool.status(u.outpoint()).orElseThrow());
    }

    @Test
    void competitors_readsEveryTxidInTheReason() {
        Txid a = PoolTestData.randomTxid();
        Txid b = PoolTestData.randomTxid();
        assertEquals(List.of(a, b), List.copyOf(DirtyUtxoChecker.competitors("DOUBLE_SPEND competing=[" + a + ", " + b.hex().toUpperCase() + "]")));
        assertTrue(DirtyUtxoChecker.competitors(null).isEmpty());
    }
}
