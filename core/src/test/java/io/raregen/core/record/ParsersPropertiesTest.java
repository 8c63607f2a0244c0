package io.raregen.core.record;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.ExtendedFormat;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte-level parsers fail only with their documented exceptions, whatever the bytes. */
class ParsersPropertiesTest {
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("4b".repeat(32));
    static final SignedTransaction TX = PublishTransactions.build(
            List.of(new Utxo(new Outpoint(Txid.fromHex("0e".repeat(32)), 1), Satoshis.of(5_000), KEY.p2pkhLockingScript())),
            KEY, EnvelopeSigner.sign("{\"a\":1}", KEY), KEY.p2pkhLockingScript(), FeeRate.perKb(1));

    @Provide
    Arbitrary<byte[]> mutatedTx() {
        return mutationsOf(TX.raw());
    }

    @Provide
    Arbitrary<byte[]> mutatedEf() {
        return mutationsOf(TX.extendedFormat());
    }

    @Provide
    Arbitrary<byte[]> mutatedRecord() {
        return mutationsOf(TX.outputs().get(0).script());
    }

    private static Arbitrary<byte[]> mutationsOf(byte[] base) {
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, base.length - 1).list().ofMinSize(1).ofMaxSize(3)
                .map(positions -> {
                    byte[] b = base.clone();
                    positions.forEach(p -> b[p] = (byte) (b[p] ^ (1 << (p % 8)) ^ 0x5a));
                    return b;
                });
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, base.length).map(n -> java.util.Arrays.copyOf(base, n));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(flipped, cut, random);
    }

    @Property(tries = 500)
    void rawTransactionParse_throwsOnlyIllegalArgument(@ForAll("mutatedTx") byte[] bytes) {
        try {
            RawTransaction tx = RawTransaction.parse(bytes);
            assertEquals(bytes.length, tx.size());
        } catch (IllegalArgumentException expected) {
            // rejected
        }
    }

    @Property(tries = 500)
    void extendedFormatParse_throwsOnlyIllegalArgument(@ForAll("mutatedEf") byte[] bytes) {
        try {
            ExtendedFormat.parse(bytes);
        } catch (IllegalArgumentException expected) {
            // rejected
        }
    }

    @Property(tries = 500)
    void recordDecode_throwsOnlyRecordFormatException(@ForAll("mutatedRecord") byte[] script) {
        try {
            Envelope e = RecordScript.decode(script);
            assertEquals(e, RecordScript.decode(RecordScript.encode(e)));
        } catch (RecordFormatException expected) {
            // rejected
        } catch (IllegalArgumentException e) {
            // decode accepted a signature/pubkey that encode() refuses? must not happen: decode output is canonical
            throw new AssertionError("decode produced an envelope encode() refuses", e);
        }
    }

    @Property(tries = 300)
    void extractor_onMutatedTransactions_throwsOnlyIllegalArgument(@ForAll("mutatedTx") byte[] bytes) {
        try {
            RecordExtractor.fromRawTransaction(bytes);
        } catch (IllegalArgumentException expected) {
            // not a transaction
        }
    }
}
