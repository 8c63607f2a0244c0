package io.raregen.localchain;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.ExtendedFormat;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.ForkIdSighash;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Test transactions: good ones from core's TransactionBuilder, broken ones assembled by hand. */
final class Txs {
    static final KeyPair KEY = KeyPair.fromPrivateKeyHex("1111111111111111111111111111111111111111111111111111111111111111");
    static final KeyPair OTHER = KeyPair.fromPrivateKeyHex("2222222222222222222222222222222222222222222222222222222222222222");
    static final FeeRate RATE = new FeeRate(1, 1000);
    static final HexFormat HEX = HexFormat.of();

    private Txs() {
    }

    /** Spends {@code in} (paying KEY) to one P2PKH output of {@code sats} plus change back to KEY. */
    static SignedTransaction pay(List<Utxo> in, long sats) {
        TransactionBuilder b = new TransactionBuilder();
        in.forEach(b::addInput);
        b.addOutput(p2pkh(KEY, sats));
        b.changeTo(KEY.p2pkhLockingScript());
        return b.sign(KEY, RATE);
    }

    static SignedTransaction pay(Utxo in, long sats) {
        return pay(List.of(in), sats);
    }

    /** A record-like transaction: one OP_FALSE OP_RETURN output (0 sats) and change. */
    static SignedTransaction publish(Utxo in, String data) {
        return new TransactionBuilder().addInput(in).addOutput(data(data.getBytes(), 0))
                .changeTo(KEY.p2pkhLockingScript()).sign(KEY, RATE);
    }

    static Utxo output(SignedTransaction tx, int vout) {
        TxOutput o = tx.outputs().get(vout);
        return new Utxo(new Outpoint(tx.txid(), vout), o.value(), o.script());
    }

    static TxOutput p2pkh(KeyPair k, long sats) {
        return new TxOutput(Satoshis.of(sats), k.p2pkhLockingScript());
    }

    static TxOutput data(byte[] payload, long sats) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(0x00);
        s.write(0x6a);
        s.write(payload.length);
        s.write(payload, 0, payload.length);
        return new TxOutput(Satoshis.of(sats), s.toByteArray());
    }

    static byte[] ef(SignedTransaction tx) {
        return tx.extendedFormat();
    }

    static byte[] ef(byte[] raw, List<Utxo> prevouts) {
        return ExtendedFormat.serialize(raw, prevouts);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * Hand-assembled transaction spending {@code ins} with {@code key}, marking each signature with
     * {@code sighashByte} (0x41 is correct; 0x01 omits FORKID). The digest is always the FORKID one.
     */
    static byte[] manual(List<Utxo> ins, List<TxOutput> outs, KeyPair key, int sighashByte) {
        List<RawTransaction.Input> unsigned = ins.stream()
                .map(u -> new RawTransaction.Input(u.outpoint(), new byte[0], 0xffffffffL)).toList();
        byte[] unsignedRaw = RawTransaction.serialize(1, unsigned, outs, 0);
        List<RawTransaction.Input> signed = new java.util.ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            Utxo u = ins.get(i);
            byte[] digest = ForkIdSighash.digest(unsignedRaw, i, u.lockingScript(), u.satoshis(), ForkIdSighash.ALL_FORKID);
            byte[] der = key.signDigest(digest);
            byte[] sig = Arrays.copyOf(der, der.length + 1);
            sig[der.length] = (byte) sighashByte;
            byte[] pub = key.publicKey().compressed();
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.write(sig.length);
            s.write(sig, 0, sig.length);
            s.write(pub.length);
            s.write(pub, 0, pub.length);
            signed.add(new RawTransaction.Input(u.outpoint(), s.toByteArray(), 0xffffffffL));
        }
        return RawTransaction.serialize(1, signed, outs, 0);
    }

    static String txid(byte[] raw) {
        return RawTransaction.parse(raw).txid().hex();
    }
}
