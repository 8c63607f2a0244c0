package io.raregen.broadcaster.utxo;

import com.fasterxml.jackson.databind.node.TextNode;
import com.zaxxer.hikari.HikariDataSource;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordScript;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record whose fee exceeds every single UTXO is still published: the pool hands out several inputs,
 * core builds and signs the transaction, and the local chain (full script and fee validation) accepts it.
 */
class LargeRecordReservationTest {

    private static TestDatabase db;
    private static HikariDataSource ds;
    private static LocalChain chain;
    private static PostgresUtxoPool pool;
    private static ArcTransactionBroadcaster arc;
    private static final KeyPair CLIENT = KeyPair.generate();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        ds = PoolTestData.pooled(db, 4);
        chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining().build());
        pool = new PostgresUtxoPool(ds, new PoolSettings());
        List<FaucetOutput> outs = chain.faucet(PoolTestData.POOL_KEY.p2pkhLockingScript(), 100, 1_500);
        pool.add(outs.stream().map(FaucetOutput::utxo).toList(), Purpose.PUBLISH, 1);
        ArcSettings p = new ArcSettings();
        p.setUrl(chain.arcUrl());
        p.setMaxTimeoutSeconds(10);
        arc = new ArcTransactionBroadcaster(p);
    }

    @AfterAll
    static void stop() {
        chain.close();
        ds.close();
        db.close();
    }

    @ParameterizedTest(name = "{0} byte record at {1} sat/kB")
    @CsvSource({"50000, 1", "50000, 100", "500000, 1", "500000, 100"})
    void reserve_forALargeRecord_givesInputsThatPayItsFeeAndTheChainAcceptsTheTransaction(int recordBytes,
                                                                                            long satPerKb) {
        FeeRate rate = FeeRate.perKb(satPerKb);
        Envelope env = EnvelopeSigner.sign(Payloads.publish(TextNode.valueOf("x".repeat(recordBytes)),
                UUID.randomUUID().toString(), Instant.now(), null), CLIENT);
        int scriptLength = RecordScript.encodedLength(env);
        Satoshis fee = PublishTransactions.estimateFee(1, scriptLength, true, rate);
        Satoshis perInput = rate.feeFor(TransactionBuilder.P2PKH_INPUT_MAX_SIZE);

        List<Reservation> got = pool.reserve(List.of(new ReservationRequest(JobId.generate(), fee, perInput)), "test",
                Duration.ofMinutes(5));

        assertEquals(1, got.size(), "never silently dropped");
        Reservation r = got.get(0);
        assertTrue(fee.value() <= 100 || r.inputs().size() > 1, "a fee above 100 sats needs several 100-sat inputs");
        SignedTransaction tx = PublishTransactions.build(r.inputs(), PoolTestData.POOL_KEY, env,
                PoolTestData.POOL_KEY.p2pkhLockingScript(), rate);
        assertTrue(tx.fee().value() >= rate.feeFor(tx.size()).value(), "pays at least the rate");
        BroadcastResult result = arc.broadcast(List.of(tx)).get(0);
        assertEquals(BroadcastResult.Outcome.ACCEPTED, result.outcome(), result.toString());

        List<Utxo> change = tx.outputs().size() > 1
                ? List.of(new Utxo(new Outpoint(tx.txid(), 1), tx.outputs().get(1).value(), tx.outputs().get(1).script()))
                : List.of();
        pool.confirmSpent(tx.txid(), r.inputs().stream().map(Utxo::outpoint).toList(), change, Purpose.PUBLISH);
        long changeSats = change.stream().mapToLong(u -> u.satoshis().value()).sum();
        assertEquals(r.total().value(), tx.fee().value() + changeSats, "inputs = fee + change: nothing lost");
        assertTrue(tx.outputs().stream().map(TxOutput::value).allMatch(v -> v.value() == 0 || v.value() >= 1));
    }
}
