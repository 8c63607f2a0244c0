package io.raregen.core.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Pushes;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordScriptTest {
    /** The worked example of docs/PROTOCOL.md; if this test fails, fix the document too. */
    static final String EXAMPLE_KEY = "0123456789abcdef".repeat(4);
    static final Instant EXAMPLE_TIME = Instant.parse("2026-11-22T19:00:00Z");
    static final String EXAMPLE_HEX = "006a"
            + "22" + "31394878696756345179427633744870515663554551797131707a5a56646f417574"
            + "4c5d" + "7b22637265617465644174223a22323032362d31312d32325431393a30303a30305a222c226e6f6e6365223a226e31222c227265636f7264223a7b2268656c6c6f223a22776f726c64227d2c2274797065223a227075626c697368227d"
            + "10" + "6170706c69636174696f6e2f6a736f6e"
            + "05" + "7574662d38"
            + "01" + "7c"
            + "07" + "7261726567656e"
            + "01" + "31"
            + "46" + "30440220799d6c2ff34aca327035dfb1f44c7824ab1df9ad4d35e1c98fadc757b5a68447022049506a8c8292364980e3a0844e106a0b8d7833c6de49222445bb090ce267d410"
            + "21" + "034646ae5047316b4230d0086c8acec687f00b1cd9d1dc634f6cb358ac0a9a8fff";

    static final KeyPair CLIENT = KeyPair.fromPrivateKeyHex("6f".repeat(32));

    static Envelope exampleEnvelope() throws Exception {
        String payload = Payloads.publish(new ObjectMapper().readTree("{\"hello\":\"world\"}"), "n1", EXAMPLE_TIME, null);
        return EnvelopeSigner.sign(payload, KeyPair.fromPrivateKeyHex(EXAMPLE_KEY));
    }

    @Test
    void encode_workedExample_isByteForByteTheDocumentedLayout() throws Exception {
        Envelope e = exampleEnvelope();
        assertEquals(EXAMPLE_HEX, Hex.encode(RecordScript.encode(e)));
        assertEquals(EXAMPLE_HEX.length() / 2, RecordScript.encodedLength(e));
        assertEquals(e, RecordScript.decode(Hex.decode(EXAMPLE_HEX)));
    }

    @Test
    void decode_ofTheWorkedExample_verifiesWithTheEnvelopeVerifier() throws Exception {
        Envelope e = RecordScript.decode(Hex.decode(EXAMPLE_HEX));
        EnvelopeVerifier v = new EnvelopeVerifier(Clock.fixed(EXAMPLE_TIME, ZoneOffset.UTC), Duration.ofMinutes(5), 100_000);
        assertEquals("n1", v.verify(e, "publish").nonce());
    }

    @Test
    void decodedRecord_yearsLater_verifiesWithoutFreshnessButNotWithIt() throws Exception {
        Envelope e = RecordScript.decode(Hex.decode(EXAMPLE_HEX));
        EnvelopeVerifier later = new EnvelopeVerifier(Clock.fixed(EXAMPLE_TIME.plus(Duration.ofDays(900)), ZoneOffset.UTC),
                Duration.ofMinutes(5), 100_000);
        assertEquals(EXAMPLE_TIME, later.verifyWithoutFreshness(e, "publish").createdAt());
        io.raregen.core.envelope.EnvelopeException ex = assertThrows(io.raregen.core.envelope.EnvelopeException.class,
                () -> later.verify(e, "publish"));
        assertEquals(io.raregen.core.envelope.RejectionCode.EXPIRED, ex.code());
        Envelope tampered = new Envelope(e.signedPayload().replace("world", "World"), e.signature(), e.pubkey());
        ex = assertThrows(io.raregen.core.envelope.EnvelopeException.class, () -> later.verifyWithoutFreshness(tampered, "publish"));
        assertEquals(io.raregen.core.envelope.RejectionCode.SIGNATURE_INVALID, ex.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 75, 76, 255, 256, 65_535, 65_536, 100_000})
    void encodeDecode_roundTripsAtEveryPushdataBoundary(int size) throws Exception {
        Envelope e = EnvelopeSigner.sign("é".repeat(size / 2) + "x".repeat(size % 2), CLIENT);
        byte[] script = RecordScript.encode(e);
        assertEquals(script.length, RecordScript.encodedLength(e));
        assertEquals(e, RecordScript.decode(script));
        assertTrue(RecordScript.isRecord(script));
    }

    @Test
    void decode_acceptsNonMinimalPushEncodings() throws Exception {
        Envelope e = EnvelopeSigner.sign("{}", CLIENT);
        byte[] sig = java.util.Base64.getDecoder().decode(e.signature());
        ByteWriter w = new ByteWriter(300);
        w.writeByte(0).writeByte(0x6a);
        for (byte[] push : List.of(ascii(RecordScript.B_PREFIX), ascii("{}"), ascii("application/json"), ascii("utf-8"),
                ascii("|"), ascii("raregen"), ascii("1"), sig, Hex.decode(e.pubkey()))) {
            w.writeByte(Pushes.OP_PUSHDATA2).writeByte(push.length).writeByte(push.length >>> 8).write(push);
        }
        assertEquals(e, RecordScript.decode(w.toByteArray()));
    }

    // ---- malformed scripts ----

    static byte[] script(List<byte[]> pushes) {
        ByteWriter w = new ByteWriter(300);
        w.writeByte(0).writeByte(0x6a);
        pushes.forEach(p -> Pushes.write(w, p));
        return w.toByteArray();
    }

    static List<byte[]> validPushes() {
        Envelope e = EnvelopeSigner.sign("{}", CLIENT);
        return new java.util.ArrayList<>(List.of(ascii(RecordScript.B_PREFIX), ascii("{}"), ascii("application/json"),
                ascii("utf-8"), ascii("|"), ascii("raregen"), ascii("1"),
                java.util.Base64.getDecoder().decode(e.signature()), Hex.decode(e.pubkey())));
    }

    static byte[] withPush(int index, byte[] replacement) {
        List<byte[]> p = validPushes();
        p.set(index, replacement);
        return script(p);
    }

    static void assertMalformed(byte[] script, String messagePart) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordScript.decode(script));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(RecordScript.isRecord(script));
    }

    @Test
    void validPushes_decode() throws Exception {
        RecordScript.decode(script(validPushes()));
    }

    @Test
    void decode_withoutOpFalseOpReturn_isRejected() {
        byte[] good = script(validPushes());
        byte[] bare = java.util.Arrays.copyOfRange(good, 1, good.length); // bare OP_RETURN
        assertMalformed(bare, "OP_FALSE OP_RETURN");
        assertMalformed(new byte[0], "OP_FALSE OP_RETURN");
        assertMalformed(new KeyPair[]{CLIENT}[0].p2pkhLockingScript(), "OP_FALSE OP_RETURN");
    }

    @Test
    void decode_withWrongProtocolParts_isRejected() {
        assertMalformed(withPush(0, ascii("1BAPSuaPnfGnSBM3GLV9yhxUdYe4vGbdMT")), "B:// prefix");
        assertMalformed(withPush(2, ascii("text/plain")), "media type");
        assertMalformed(withPush(3, ascii("binary")), "encoding");
        assertMalformed(withPush(4, ascii("/")), "RareGen part");
        assertMalformed(withPush(5, ascii("other")), "RareGen part");
        assertMalformed(withPush(6, ascii("2")), "unsupported");
        assertMalformed(withPush(6, new byte[]{1}), "unsupported");
        assertMalformed(withPush(1, new byte[]{(byte) 0xc3, 0x28}), "UTF-8");
        assertMalformed(withPush(7, new byte[4]), "signature");
        assertMalformed(withPush(7, new byte[73]), "signature");
        assertMalformed(withPush(8, new byte[32]), "public key");
    }

    @Test
    void decode_withExtraMissingOrBrokenPushes_isRejected() {
        List<byte[]> extra = validPushes();
        extra.add(ascii("more"));
        assertMalformed(script(extra), "exactly 9 pushes");
        List<byte[]> missing = validPushes();
        missing.remove(8);
        assertMalformed(script(missing), "exactly 9 pushes");
        byte[] good = script(validPushes());
        assertMalformed(java.util.Arrays.copyOf(good, good.length - 1), "pushes"); // truncated last push
        byte[] withOpcode = java.util.Arrays.copyOf(good, good.length + 1);
        withOpcode[good.length] = (byte) 0xac; // OP_CHECKSIG after the data
        assertMalformed(withOpcode, "pushes");
        assertMalformed(new byte[]{0, 0x6a, 0x4e, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "pushes");
    }

    @Test
    void encode_refusesEnvelopesItCannotStoreLosslessly() {
        Envelope e = EnvelopeSigner.sign("{}", CLIENT);
        assertThrows(IllegalArgumentException.class, () -> RecordScript.encode(new Envelope("{}", e.signature(), e.pubkey().toUpperCase())));
        assertThrows(IllegalArgumentException.class, () -> RecordScript.encode(new Envelope("{}", e.signature().replace("=", ""), e.pubkey())));
        assertThrows(IllegalArgumentException.class, () -> RecordScript.encode(new Envelope("{}", "", e.pubkey())));
        assertThrows(IllegalArgumentException.class, () -> RecordScript.encode(new Envelope("\uD800", e.signature(), e.pubkey())));
    }

    // ---- extraction from a transaction ----

    @Test
    void extractor_findsTheRecordOutputOfAPublishTransaction() throws Exception {
        KeyPair pool = KeyPair.fromPrivateKeyHex("7a".repeat(32));
        Utxo utxo = new Utxo(new Outpoint(Txid.fromHex("01".repeat(32)), 0), Satoshis.of(1_000), pool.p2pkhLockingScript());
        Envelope e = exampleEnvelope();
        SignedTransaction tx = PublishTransactions.build(List.of(utxo), pool, e, pool.p2pkhLockingScript(), FeeRate.perKb(1));
        RecordExtractor.Extracted x = RecordExtractor.fromRawTransaction(tx.raw()).orElseThrow();
        assertEquals(0, x.outputIndex());
        assertEquals(e, x.envelope());
        assertEquals(Satoshis.ZERO, tx.outputs().get(0).value());
    }

    @Test
    void extractor_findsARecordInALaterOutput_andNothingInAPlainPayment() throws Exception {
        KeyPair pool = KeyPair.fromPrivateKeyHex("7a".repeat(32));
        Utxo utxo = new Utxo(new Outpoint(Txid.fromHex("01".repeat(32)), 0), Satoshis.of(1_000), pool.p2pkhLockingScript());
        SignedTransaction plain = new TransactionBuilder().addInput(utxo)
                .addOutput(new TxOutput(Satoshis.of(500), pool.p2pkhLockingScript())).sign(pool, FeeRate.perKb(1));
        assertTrue(RecordExtractor.fromRawTransaction(plain.raw()).isEmpty());
        SignedTransaction second = new TransactionBuilder().addInput(utxo)
                .addOutput(new TxOutput(Satoshis.of(500), pool.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.ZERO, RecordScript.encode(exampleEnvelope()))).sign(pool, FeeRate.perKb(1));
        assertEquals(1, RecordExtractor.fromRawTransaction(second.raw()).orElseThrow().outputIndex());
        assertThrows(IllegalArgumentException.class, () -> RecordExtractor.fromRawTransaction(new byte[]{1, 2, 3}));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
