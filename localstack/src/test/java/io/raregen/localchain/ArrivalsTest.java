package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chain's arrival log: every transaction of every POST /v1/tx and /v1/txs, stamped when its request was received,
 * before the request's delay, its processing or its answer; rejected and re-submitted transactions count too.
 */
class ArrivalsTest {

    @Test
    void everySubmittedTransaction_isStampedWhenItsRequestArrives_beforeAnyDelay() throws Exception {
        long latency = 300;
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build())) {
            List<Utxo> in = chain.faucet(Txs.KEY.p2pkhLockingScript(), 10_000, 4).stream().map(FaucetOutput::utxo).toList();
            List<SignedTransaction> txs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                txs.add(Txs.publish(in.get(i), "rec" + i));
            }
            byte[] badFee = Txs.manual(List.of(in.get(3)), List.of(Txs.p2pkh(Txs.KEY, 10_000)), Txs.KEY, 0x41);
            assertEquals(List.of(), chain.arrivals(), "faucet payments are not submissions");
            chain.faults().latencyMs(latency);

            long beforeBatch = System.currentTimeMillis();
            Arc.Response batch = Arc.submitAll(chain, List.of(Txs.ef(txs.get(0)), Txs.ef(txs.get(1)), Txs.ef(badFee, List.of(in.get(3)))));
            long afterBatch = System.currentTimeMillis();
            assertEquals(200, batch.status());
            long beforeSingle = System.currentTimeMillis();
            Arc.Response single = Arc.submit(chain, Txs.ef(txs.get(2)));
            long afterSingle = System.currentTimeMillis();
            assertEquals(200, single.status());
            Arc.Response again = Arc.submit(chain, Txs.ef(txs.get(0)));
            assertEquals(200, again.status());

            List<Arrival> arrivals = chain.arrivals();
            assertEquals(List.of(txs.get(0).txid().hex(), txs.get(1).txid().hex(), io.raregen.core.tx.RawTransaction.parse(badFee).txid().hex(),
                            txs.get(2).txid().hex(), txs.get(0).txid().hex()),
                    arrivals.stream().map(Arrival::txid).toList(), "every submission, the rejected one and the re-submission too");
            long batchAt = arrivals.get(0).atMillis();
            assertEquals(List.of(batchAt, batchAt, batchAt), arrivals.subList(0, 3).stream().map(Arrival::atMillis).toList(),
                    "one request, one arrival time");
            // stamped before the injected delay: at least `latency` before the answer came back
            assertTrue(batchAt >= beforeBatch && batchAt <= afterBatch - latency, beforeBatch + " <= " + batchAt + " <= " + afterBatch + " - " + latency);
            long singleAt = arrivals.get(3).atMillis();
            assertTrue(singleAt >= beforeSingle && singleAt <= afterSingle - latency, beforeSingle + " <= " + singleAt + " <= " + afterSingle + " - " + latency);
        }
    }
}
