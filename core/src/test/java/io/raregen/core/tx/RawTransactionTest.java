package io.raregen.core.tx;

import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordScript;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.bitcoinj.core.Transaction;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawTransactionTest {
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("3a".repeat(32));

    @Test
    void parse_agreesWithBitcoinjOnEveryVectorTransaction() throws Exception {
        for (ForkIdSighashVectorsTest.Vector v : ForkIdSighashVectorsTest.forkIdVectors()) {
            byte[] raw = Hex.decode(v.rawTx());
            RawTransaction ours = RawTransaction.parse(raw);
            Transaction theirs = Transaction.read(ByteBuffer.wrap(raw));
            assertEquals(theirs.getTxId().toString(), ours.txid().hex());
            assertEquals(theirs.getInputs().size(), ours.inputs().size());
            assertEquals(theirs.getOutputs().size(), ours.outputs().size());
            assertEquals(theirs.lockTime().rawValue(), ours.lockTime());
            assertArrayEquals(raw, RawTransaction.serialize(ours.version(), ours.inputs(), ours.outputs(), ours.lockTime()));
        }
    }

    @Test
    void parse_rejectsTruncatedTrailingAndEmptyData() {
        byte[] raw = signed().raw();
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(Arrays.copyOf(raw, raw.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(Arrays.copyOf(raw, raw.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(null));
        byte[] hugeCount = Arrays.copyOf(raw, raw.length);
        hugeCount[4] = (byte) 0xfe; // input count varint claims ~4 billion inputs
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(hugeCount));
        assertThrows(IllegalArgumentException.class, () -> RawTransaction.parse(signed().extendedFormat()));
    }

    @Test
    void parse_coinbaseInput_hasNoPrevout() {
        byte[] coinbase = RawTransaction.serialize(1, List.of(new RawTransaction.Input(null, new byte[]{1, 2}, 0xffffffffL)),
                List.of(new TxOutput(Satoshis.of(50), KEY.p2pkhLockingScript())), 0);
        RawTransaction tx = RawTransaction.parse(coinbase);
        assertTrue(tx.isCoinbase());
        assertTrue(tx.inputs().get(0).isCoinbase());
    }

    @Test
    void feeRate_roundsUpLikeArc() {
        assertEquals(Satoshis.of(1), FeeRate.perKb(1).feeFor(1));
        assertEquals(Satoshis.of(1), FeeRate.perKb(1).feeFor(1000));
        assertEquals(Satoshis.of(2), FeeRate.perKb(1).feeFor(1001));
        assertEquals(Satoshis.ZERO, FeeRate.perKb(1).feeFor(0));
        assertEquals(Satoshis.of(23), FeeRate.perKb(100).feeFor(226));
        assertEquals(Satoshis.of(0), new FeeRate(0, 1000).feeFor(5000));
        assertThrows(IllegalArgumentException.class, () -> new FeeRate(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FeeRate(-1, 1000));
    }

    @Test
    void publishEstimate_isAnUpperBoundWithinTwoBytesOfTheSignedSize() {
        for (int size : new int[]{10, 300, 70_000}) {
            var env = EnvelopeSigner.sign("a".repeat(size), KEY);
            SignedTransaction tx = PublishTransactions.build(List.of(utxo(100_000)), KEY, env, KEY.p2pkhLockingScript(), FeeRate.perKb(1));
            int estimate = PublishTransactions.estimateSize(1, RecordScript.encodedLength(env), true);
            assertTrue(tx.size() <= estimate && estimate - tx.size() <= 2, tx.size() + " vs " + estimate);
            assertEquals(FeeRate.perKb(1).feeFor(estimate), tx.fee());
            assertEquals(PublishTransactions.estimateFee(env, FeeRate.perKb(1)), tx.fee());
        }
    }

    @Test
    void extendedFormat_rejectsMalformedInput() {
        byte[] ef = signed().extendedFormat();
        assertThrows(IllegalArgumentException.class, () -> ExtendedFormat.parse(Arrays.copyOf(ef, ef.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ExtendedFormat.parse(Arrays.copyOf(ef, ef.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> ExtendedFormat.parse(signed().raw()));
        assertThrows(IllegalArgumentException.class, () -> ExtendedFormat.serialize(signed().raw(), List.of()));
        // BIP-239: version, marker 0000000000EF, then per input the previous satoshis as 8 bytes
        assertEquals("010000000000000000ef01", Hex.encode(Arrays.copyOf(ef, 11)));
    }

    static Utxo utxo(long sats) {
        return new Utxo(new Outpoint(Txid.fromHex("0f".repeat(32)), 2), Satoshis.of(sats), KEY.p2pkhLockingScript());
    }

    static SignedTransaction signed() {
        return new TransactionBuilder().addInput(utxo(1_000)).changeTo(KEY.p2pkhLockingScript()).sign(KEY, FeeRate.perKb(1));
    }
}
