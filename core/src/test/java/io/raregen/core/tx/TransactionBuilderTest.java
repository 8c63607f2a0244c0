package io.raregen.core.tx;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.P2pkh;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionBuilderTest {
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("0000000000000000000000000000000000000000000000000000000000000001".replace("01", "2a"));
    static final Txid FUNDING = Txid.fromHex("aa".repeat(32));

    static Utxo utxo(int vout, long sats) {
        return new Utxo(new Outpoint(FUNDING, vout), Satoshis.of(sats), KEY.p2pkhLockingScript());
    }

    @Test
    void sign_withChange_producesValidForkIdSignatureAndExactFee() {
        TxOutput out = new TxOutput(Satoshis.of(300), P2pkh.lockingScript(KeyPair.generate().publicKey()));
        SignedTransaction tx = new TransactionBuilder().addInput(utxo(0, 1000)).addOutput(out)
                .changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1000));

        RawTransaction parsed = RawTransaction.parse(tx.raw());
        assertEquals(tx.txid(), parsed.txid());
        assertEquals(2, parsed.outputs().size());
        assertEquals(out, parsed.outputs().get(0));
        long change = parsed.outputs().get(1).value().value();
        assertEquals(1000 - 300 - change, tx.fee().value());
        // the fee is computed on the 226-byte maximum; the signed tx is at most that big
        assertEquals(226, TransactionBuilder.estimateSize(1, List.of(out), new TxOutput(Satoshis.ZERO, KEY.p2pkhLockingScript())));
        assertEquals(226, tx.fee().value());
        assertTrue(tx.size() <= 226);
        assertTrue(Signatures.verifyP2pkhInput(tx.raw(), 0, KEY.p2pkhLockingScript(), Satoshis.of(1000)));
        assertFalse(Signatures.verifyP2pkhInput(tx.raw(), 0, KEY.p2pkhLockingScript(), Satoshis.of(999)));
    }

    @Test
    void sign_whenChangeWouldBeBelowOneSat_leavesItToTheFee() {
        TxOutput out = new TxOutput(Satoshis.of(1000 - 192), KEY.p2pkhLockingScript());
        SignedTransaction tx = new TransactionBuilder().addInput(utxo(0, 1000)).addOutput(out)
                .changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1000));
        assertEquals(1, tx.outputs().size());
        assertEquals(192, tx.fee().value());
    }

    @Test
    void sign_whenInputsDoNotCoverOutputsAndFee_throwsInsufficientFunds() {
        TxOutput out = new TxOutput(Satoshis.of(1000 - 191), KEY.p2pkhLockingScript());
        InsufficientFundsException e = assertThrows(InsufficientFundsException.class, () -> new TransactionBuilder()
                .addInput(utxo(0, 1000)).addOutput(out).changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1000)));
        assertEquals(1000, e.available().value());
        assertEquals(1001, e.required().value());
    }

    @Test
    void sign_twoInputs_signsEachAndExtendedFormatRoundTrips() {
        SignedTransaction tx = new TransactionBuilder().addInput(utxo(0, 500)).addInput(utxo(1, 700))
                .changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1));
        assertTrue(Signatures.verifyP2pkhInput(tx.raw(), 0, KEY.p2pkhLockingScript(), Satoshis.of(500)));
        assertTrue(Signatures.verifyP2pkhInput(tx.raw(), 1, KEY.p2pkhLockingScript(), Satoshis.of(700)));
        byte[] ef = tx.extendedFormat();
        assertTrue(ExtendedFormat.isExtended(ef));
        assertFalse(ExtendedFormat.isExtended(tx.raw()));
        ExtendedFormat.Parsed p = ExtendedFormat.parse(ef);
        assertArrayEquals(tx.raw(), p.rawTx());
        assertEquals(List.of(new TxOutput(Satoshis.of(500), KEY.p2pkhLockingScript()),
                new TxOutput(Satoshis.of(700), KEY.p2pkhLockingScript())), p.prevouts());
    }

    @Test
    void sign_whenInputIsNotLockedToTheKey_refuses() {
        Utxo other = new Utxo(new Outpoint(FUNDING, 0), Satoshis.of(1000), KeyPair.generate().p2pkhLockingScript());
        assertThrows(IllegalArgumentException.class, () -> new TransactionBuilder().addInput(other)
                .changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1)));
    }
}
