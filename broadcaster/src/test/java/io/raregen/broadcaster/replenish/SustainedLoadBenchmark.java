package io.raregen.broadcaster.replenish;

import com.fasterxml.jackson.databind.node.TextNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.keys.ConfiguredServiceKeys;
import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.PoolSnapshot;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sustained-load benchmark of the pool alone (a program, not a test): 500 publish transactions every 3 s
 * (166.7 tx/s) reserved from Postgres, built and signed with core, broadcast to the in-process local chain,
 * change recycled with {@code confirmSpent}, the replenisher running every 5 s; starts with 2,000 x 100
 * sats. Prints whether any request went unserved and checks conservation to the satoshi:
 * funded = unspent + retired + split fees + publish fees. (The job table is not involved, so publish
 * fees are summed here rather than read from publish_jobs.)
 *
 * <p>Run: {@code mvn -o -q -pl broadcaster test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.raregen.broadcaster.replenish.SustainedLoadBenchmark -Dexec.args="60"}
 */
public final class SustainedLoadBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        FeeRate rate = FeeRate.perKb(1);
        try (TestDatabase db = TestDatabase.create(); HikariDataSource ds = PoolTestData.pooled(db, 8);
             LocalChain chain = LocalChain.start(LocalChainConfig.builder().host("127.0.0.1").port(0).manualMining()
                     .build())) {
            PostgresUtxoPool pool = new PostgresUtxoPool(ds, new PoolSettings());
            ConfiguredServiceKeys keys = new ConfiguredServiceKeys(PoolTestData.POOL_KEY, PoolTestData.FUNDING_KEY,
                    Network.REGTEST);
            List<FaucetOutput> start = chain.faucet(keys.poolKey().p2pkhLockingScript(), 100, 2_000);
            pool.add(start.stream().map(FaucetOutput::utxo).toList(), Purpose.PUBLISH, 1);
            FaucetOutput funding = chain.faucet(keys.fundingKey().p2pkhLockingScript(), 5_000_000);
            pool.add(List.of(funding.utxo()), Purpose.FUNDING, 1);
            long funded = 2_000L * 100 + 5_000_000;

            ArcSettings arcProps = new ArcSettings();
            arcProps.setUrl(chain.arcUrl());
            ArcTransactionBroadcaster arc = new ArcTransactionBroadcaster(arcProps);
            ReplenisherSettings rs = new ReplenisherSettings();
            rs.setMinPoolSize(2_000);
            rs.setSplitBatchSize(5_000);
            Replenisher replenisher = new Replenisher(new PoolTransactionStore(pool), arc, () -> rate, keys, rs,
                    new SimpleMeterRegistry());
            ScheduledExecutorService bg = Executors.newSingleThreadScheduledExecutor();
            bg.scheduleWithFixedDelay(() -> {
                try {
                    replenisher.runOnce();
                } catch (RuntimeException e) {
                    System.out.println("replenisher failed: " + e);
                }
            }, 0, 5, TimeUnit.SECONDS);

            Envelope env = EnvelopeSigner.sign(Payloads.publish(TextNode.valueOf("r".repeat(210)), "n", Instant.now(), null),
                    KeyPair.generate());
            Satoshis need = PublishTransactions.estimateFee(env, rate);
            long publishFees = 0;
            long accepted = 0;
            long unserved = 0;
            long notAccepted = 0;
            long minAvailable = Long.MAX_VALUE;
            int batches = seconds / 3;
            long tReserve = 0;
            long tBuild = 0;
            long tBroadcast = 0;
            long tApply = 0;
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                long due = t0 + b * 3_000_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                minAvailable = Math.min(minAvailable, pool.snapshot().publishAvailable());
                List<ReservationRequest> reqs = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    reqs.add(new ReservationRequest(JobId.generate(), need));
                }
                long m0 = System.nanoTime();
                List<Reservation> got = pool.reserve(reqs, "bench", Duration.ofMinutes(5));
                long m1 = System.nanoTime();
                unserved += 500 - got.size();
                Map<Txid, Reservation> byTx = new HashMap<>();
                List<SignedTransaction> txs = new ArrayList<>();
                for (Reservation r : got) {
                    SignedTransaction tx = PublishTransactions.build(r.inputs(), keys.poolKey(), env,
                            keys.poolKey().p2pkhLockingScript(), rate);
                    txs.add(tx);
                    byTx.put(tx.txid(), r);
                }
                Map<Txid, SignedTransaction> txById = new HashMap<>();
                txs.forEach(t -> txById.put(t.txid(), t));
                long m2 = System.nanoTime();
                List<BroadcastResult> results = arc.broadcast(txs);
                long m3 = System.nanoTime();
                tReserve += m1 - m0;
                tBuild += m2 - m1;
                tBroadcast += m3 - m2;
                List<io.raregen.broadcaster.utxo.UtxoPool.Spend> spends = new ArrayList<>();
                List<Outpoint> toRelease = new ArrayList<>();
                for (BroadcastResult r : results) {
                    SignedTransaction tx = txById.get(r.txid());
                    Reservation res = byTx.get(r.txid());
                    List<Outpoint> inputs = res.inputs().stream().map(Utxo::outpoint).toList();
                    if (r.outcome() == BroadcastResult.Outcome.ACCEPTED || r.outcome() == BroadcastResult.Outcome.MINED) {
                        List<Utxo> change = new ArrayList<>();
                        if (tx.outputs().size() > 1) {
                            TxOutput c = tx.outputs().get(1);
                            change.add(new Utxo(new Outpoint(tx.txid(), 1), c.value(), c.script()));
                        }
                        spends.add(new io.raregen.broadcaster.utxo.UtxoPool.Spend(tx.txid(), inputs, change,
                                Purpose.PUBLISH));
                        publishFees += tx.fee().value();
                        accepted++;
                    } else {
                        toRelease.addAll(inputs);
                        notAccepted++;
                    }
                }
                pool.confirmSpentAll(spends);
                pool.release(toRelease);
                tApply += System.nanoTime() - m3;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            bg.shutdown();
            bg.awaitTermination(60, TimeUnit.SECONDS);
            PoolSnapshot s = pool.snapshot();
            long gap = funded - (s.totalUnspentSats() + s.retiredSats() + s.feesPaidSats() + publishFees);
            System.out.printf(Locale.ROOT, "sustained load: %d batches x 500 in %.1f s = %.1f tx/s offered; accepted %,d, "
                            + "not accepted %,d, unserved requests %,d; min usable publish UTXOs before a batch %,d; "
                            + "publish fees %,d sat (%.3f sat/record); split fees %,d sat; unspent %,d sat; "
                            + "conservation gap %d sat; publish UTXOs available at end %,d%n",
                    batches, elapsed, batches * 500 / elapsed, accepted, notAccepted, unserved, minAvailable, publishFees,
                    publishFees / (double) Math.max(1, accepted), s.feesPaidSats(), s.totalUnspentSats(), gap,
                    s.publishAvailable());
            System.out.printf(Locale.ROOT, "time per batch of 500: reserve %.0f ms, build+sign %.0f ms, "
                            + "broadcast to the local chain %.0f ms, apply results (confirmSpentAll) %.0f ms%n",
                    tReserve / 1e6 / batches, tBuild / 1e6 / batches, tBroadcast / 1e6 / batches, tApply / 1e6 / batches);
        }
    }

    private SustainedLoadBenchmark() {
    }
}
