package io.raregen.broadcaster.funding;

import io.raregen.broadcaster.keys.ConfiguredServiceKeys;
import io.raregen.broadcaster.utxo.InMemoryUtxoPool;
import io.raregen.broadcaster.utxo.PoolTestData;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FundingServiceTest {

    private InMemoryUtxoPool pool;
    private FundingService funding;
    private SignedTransaction tx; // output 0 pays funding, 1 pays pool, 2 pays a stranger

    @BeforeEach
    void setUp() {
        pool = new InMemoryUtxoPool();
        funding = new FundingService(pool, new ConfiguredServiceKeys(PoolTestData.POOL_KEY, PoolTestData.FUNDING_KEY,
                Network.TEST), Network.TEST);
        KeyPair payer = KeyPair.generate();
        tx = new TransactionBuilder().addInput(new io.raregen.core.tx.Utxo(new Outpoint(PoolTestData.randomTxid(), 0),
                        Satoshis.of(100_000), payer.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(50_000), PoolTestData.FUNDING_KEY.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(20_000), PoolTestData.POOL_KEY.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(10_000), KeyPair.generate().p2pkhLockingScript()))
                .sign(payer, FeeRate.perKb(1));
    }

    @Test
    void fundingAddress_isTheFundingKeysAddressOnTheConfiguredNetwork() {
        FundingService.FundingAddress a = funding.fundingAddress();

        assertEquals(PoolTestData.FUNDING_KEY.address(Network.TEST), a.address());
        assertEquals("test", a.network());
        assertTrue(a.address().startsWith("m") || a.address().startsWith("n"));
    }

    @Test
    void importOutput_payingTheFundingAddress_addsAFundingUtxoOnce() {
        FundingService.Imported first = funding.importOutput(tx.txid() + ":0", tx.rawHex(), 1);
        FundingService.Imported again = funding.importOutput(tx.txid() + ":0", tx.rawHex(), 1);

        assertTrue(first.added());
        assertFalse(again.added(), "idempotent");
        assertEquals("funding", first.purpose());
        assertEquals(50_000, pool.snapshot().fundingAvailableSats());
        assertEquals(50_000, pool.snapshot().fundedSats());
    }

    @Test
    void importOutput_payingThePoolKey_addsAPublishUtxo() {
        assertEquals("publish", funding.importOutput(tx.txid() + ":1", tx.rawHex(), 0).purpose());
        assertEquals(1, pool.snapshot().publishAvailable());
    }

    @Test
    void importOutput_refusesWhatItCannotVerify() {
        assertEquals("SCRIPT_MISMATCH", code(() -> funding.importOutput(tx.txid() + ":2", tx.rawHex(), 0)));
        assertEquals("VOUT_OUT_OF_RANGE", code(() -> funding.importOutput(tx.txid() + ":9", tx.rawHex(), 0)));
        assertEquals("TXID_MISMATCH", code(() -> funding.importOutput(PoolTestData.randomTxid() + ":0", tx.rawHex(), 0)));
        assertEquals("RAW_TX_INVALID", code(() -> funding.importOutput(tx.txid() + ":0", tx.rawHex().substring(2), 0)));
        assertEquals("RAW_TX_INVALID", code(() -> funding.importOutput(tx.txid() + ":0", "zz", 0)));
        assertEquals("OUTPOINT_INVALID", code(() -> funding.importOutput("nonsense", tx.rawHex(), 0)));
        assertEquals(0, pool.snapshot().fundedSats(), "nothing refused reached the pool");
    }

    @Test
    void discoveryJob_importsOnlyVerifiableOutputs() {
        FundingDiscovery discovery = address -> List.of(
                new FundingDiscovery.Discovered(new Outpoint(tx.txid(), 0), 50_000, 100, tx.rawHex()),
                new FundingDiscovery.Discovered(new Outpoint(tx.txid(), 2), 10_000, 100, tx.rawHex()));

        int added = new FundingDiscoveryJob(funding, discovery).discover();

        assertEquals(1, added);
        assertEquals(50_000, pool.snapshot().fundingAvailableSats());
    }

    private static String code(Runnable r) {
        return assertThrows(FundingException.class, r::run).code();
    }
}
