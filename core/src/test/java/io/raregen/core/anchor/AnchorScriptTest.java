package io.raregen.core.anchor;

import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Pushes;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordScript;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.core.types.Ulid;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnchorScriptTest {
    static final String BATCH = "01JZ8Q4T5XKD3M7N2P6R9S0VWY";
    static final AnchorHash ROOT = AnchorHash.fromHex("ab".repeat(32));

    @Property(tries = 300)
    void encodeThenDecode_isTheSameAnchor(@ForAll("batchIds") String batchId,
                                          @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int size,
                                          @ForAll @Size(32) byte[] root) throws Exception {
        Anchor a = new Anchor(new BatchId(batchId), size, AnchorHash.of(root));
        byte[] script = AnchorScript.encode(a);
        assertEquals(AnchorScript.LENGTH, script.length);
        assertEquals(a, AnchorScript.decode(script));
        assertFalse(RecordScript.isRecord(script), "an anchor must never decode as a record");
    }

    @Example
    void layout_isOpFalseOpReturnAndSixPushes() {
        byte[] script = AnchorScript.encode(new Anchor(new BatchId(BATCH), 0x01020304, ROOT));
        List<byte[]> pushes = Pushes.readAll(script, 2);
        assertEquals(0x00, script[0]);
        assertEquals(0x6a, script[1] & 0xff);
        assertEquals(6, pushes.size());
        assertEquals("raregen", ascii(pushes.get(0)));
        assertEquals("anchor", ascii(pushes.get(1)));
        assertEquals("1", ascii(pushes.get(2)));
        assertEquals(BATCH, ascii(pushes.get(3)));
        assertEquals("01020304", Hex.encode(pushes.get(4)), "tree size, unsigned big-endian");
        assertEquals(ROOT.hex(), Hex.encode(pushes.get(5)), "root in SHA-256 output order");
    }

    @Example
    void aRecordScript_isNotAnAnchor() {
        byte[] record = RecordScript.encode(EnvelopeSigner.sign("{\"a\":1}", KeyPair.fromPrivateKeyHex("11".repeat(32))));
        assertFalse(AnchorScript.isAnchor(record));
    }

    @Example
    void nonMinimalPushes_decodeToTheSameAnchor() throws Exception {
        Anchor a = new Anchor(new BatchId(BATCH), 5, ROOT);
        ByteWriter w = new ByteWriter(100).writeByte(0).writeByte(0x6a);
        for (byte[] push : pushesOf(a)) {
            w.writeByte(Pushes.OP_PUSHDATA1).writeByte(push.length).write(push);
        }
        assertEquals(a, AnchorScript.decode(w.toByteArray()));
    }

    @Example
    void malformedScripts_areRejectedWithTheRuleTheyBreak() {
        Anchor a = new Anchor(new BatchId(BATCH), 5, ROOT);
        byte[][] p = pushesOf(a);
        rejects("does not start with OP_FALSE OP_RETURN", Hex.decode("6a" + Hex.encode(AnchorScript.encode(a)).substring(4)));
        rejects("does not start with OP_FALSE OP_RETURN", new byte[]{0});
        rejects("not a sequence of pushes", concat(AnchorScript.encode(a), new byte[]{0x51}));
        rejects("not a sequence of pushes", java.util.Arrays.copyOf(AnchorScript.encode(a), AnchorScript.LENGTH - 1));
        rejects("not a RareGen anchor", script(ascii("raregen"), ascii("record"), p[2], p[3], p[4], p[5]));
        rejects("not a RareGen anchor", script(ascii("RareGen"), p[1], p[2], p[3], p[4], p[5]));
        rejects("not a RareGen anchor", script(p[0], p[1]));
        rejects("unsupported RareGen anchor version", script(p[0], p[1], ascii("2"), p[3], p[4], p[5]));
        rejects("exactly 6 pushes", script(p[0], p[1], p[2], p[3], p[4]));
        rejects("exactly 6 pushes", script(p[0], p[1], p[2], p[3], p[4], p[5], new byte[0]));
        rejects("batch id must be a ULID", script(p[0], p[1], p[2], ascii(BATCH.toLowerCase()), p[4], p[5]));
        rejects("batch id must be a ULID", script(p[0], p[1], p[2], ascii(BATCH.substring(1)), p[4], p[5]));
        rejects("tree size must be 4 bytes", script(p[0], p[1], p[2], p[3], new byte[]{0, 0, 5}, p[5]));
        rejects("tree size must be between 1", script(p[0], p[1], p[2], p[3], new byte[]{0, 0, 0, 0}, p[5]));
        rejects("tree size must be between 1", script(p[0], p[1], p[2], p[3], new byte[]{(byte) 0x80, 0, 0, 0}, p[5]));
        rejects("root must be 32 bytes", script(p[0], p[1], p[2], p[3], p[4], new byte[31]));
        rejects("root must be 32 bytes", script(p[0], p[1], p[2], p[3], p[4], new byte[33]));
    }

    @Example
    void invalidAnchors_cannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Anchor(new BatchId("not-a-ulid"), 1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Anchor(new BatchId(BATCH), 0, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Anchor(new BatchId(BATCH), 1, null));
    }

    @Example
    void fromRawTransaction_findsTheAnchorOutput() {
        KeyPair pool = KeyPair.fromPrivateKeyHex("1f".repeat(32));
        Anchor a = new Anchor(new BatchId(BATCH), 3, ROOT);
        SignedTransaction tx = new TransactionBuilder()
                .addInput(new Utxo(new Outpoint(Txid.fromHex("5a".repeat(32)), 0), Satoshis.of(10_000), pool.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(0), AnchorScript.encode(a)))
                .changeTo(pool.p2pkhLockingScript())
                .sign(pool, FeeRate.perKb(1));
        assertEquals(new AnchorScript.Found(0, a), AnchorScript.fromRawTransaction(tx.raw()).orElseThrow());
        SignedTransaction plain = new TransactionBuilder()
                .addInput(new Utxo(new Outpoint(Txid.fromHex("5a".repeat(32)), 0), Satoshis.of(10_000), pool.p2pkhLockingScript()))
                .changeTo(pool.p2pkhLockingScript())
                .sign(pool, FeeRate.perKb(1));
        assertTrue(AnchorScript.fromRawTransaction(plain.raw()).isEmpty());
    }

    // ---- helpers ----

    static byte[][] pushesOf(Anchor a) {
        return Pushes.readAll(AnchorScript.encode(a), 2).toArray(new byte[0][]);
    }

    static byte[] script(byte[]... pushes) {
        ByteWriter w = new ByteWriter(100).writeByte(0).writeByte(0x6a);
        for (byte[] p : pushes) {
            Pushes.write(w, p);
        }
        return w.toByteArray();
    }

    static void rejects(String reason, byte[] script) {
        AnchorFormatException e = assertThrows(AnchorFormatException.class, () -> AnchorScript.decode(script), reason);
        assertTrue(e.getMessage().contains(reason), () -> "expected \"" + reason + "\", got \"" + e.getMessage() + "\"");
        assertFalse(AnchorScript.isAnchor(script));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Provide
    Arbitrary<String> batchIds() {
        return Arbitraries.create(Ulid::generate);
    }
}
