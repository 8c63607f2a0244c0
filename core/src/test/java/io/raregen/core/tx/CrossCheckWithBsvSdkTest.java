package io.raregen.core.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Pushes;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions built by core are parsed, re-serialised and script-verified by the official BSV TypeScript SDK
 * (@bsv/sdk, pinned in src/test/js/package.json, installed by the build) — an implementation that shares no code
 * with ours. Broken transactions must be rejected by both the SDK and {@link Signatures}. One Node run serves all tests.
 */
class CrossCheckWithBsvSdkTest {
    /** The node's standard policy flags after Genesis; FORKID must be explicit or the SDK accepts 0x01 signatures. */
    static final String FLAGS =
            "STRICTENC,DERSIG,LOW_S,SIGHASH_FORKID,NULLDUMMY,SIGPUSHONLY,CLEANSTACK,MINIMALDATA,UTXO_AFTER_GENESIS";
    static final int[] PAYLOAD_SIZES = {1, 75, 76, 255, 256, 65_535, 65_536, 100_000};
    static final FeeRate RATE = FeeRate.perKb(1);
    static final ObjectMapper JSON = new ObjectMapper();

    static final KeyPair POOL = KeyPair.fromPrivateKeyHex("1f".repeat(32));
    static final KeyPair CLIENT = KeyPair.fromPrivateKeyHex("2e".repeat(32));
    static final Utxo FUNDING = new Utxo(new Outpoint(Txid.fromHex("5a".repeat(32)), 3), Satoshis.of(100_000),
            POOL.p2pkhLockingScript());

    record Case(SignedTransaction tx, List<TxOutput> prevoutsForVerifier, byte[] raw) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();
    static final Map<String, JsonNode> RESULTS = new HashMap<>();
    static String sdkVersion;

    @BeforeAll
    static void buildEverythingAndRunTheSdkOnce(@TempDir Path tmp) throws Exception {
        SignedTransaction single = PublishTransactions.build(List.of(FUNDING), POOL, envelopeOfSize(300), POOL.p2pkhLockingScript(), RATE);
        add("single", single);

        Utxo parentChange = single.outputAsUtxo(1);
        assertEquals(new Utxo(new Outpoint(single.txid(), 1), single.outputs().get(1).value(), POOL.p2pkhLockingScript()), parentChange);
        SignedTransaction child = PublishTransactions.build(List.of(parentChange), POOL, envelopeOfSize(120), POOL.p2pkhLockingScript(), RATE);
        add("chain-child", child);

        for (int size : PAYLOAD_SIZES) {
            add("payload-" + size, PublishTransactions.build(List.of(FUNDING), POOL, envelopeOfSize(size), POOL.p2pkhLockingScript(), RATE));
        }

        SignedTransaction twoInputs = new TransactionBuilder()
                .addInput(FUNDING)
                .addInput(new Utxo(new Outpoint(Txid.fromHex("5b".repeat(32)), 0), Satoshis.of(7), POOL.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(50_000), CLIENT.p2pkhLockingScript()))
                .changeTo(POOL.p2pkhLockingScript()).sign(POOL, RATE);
        add("two-inputs", twoInputs);

        CASES.put("broken-flipped-signature-byte", new Case(single, prevouts(single), flipSignatureByte(single.raw())));
        CASES.put("broken-no-forkid-bit", new Case(single, prevouts(single), resignInput0(single, 0x01)));
        List<TxOutput> wrongAmount = List.of(new TxOutput(FUNDING.satoshis().plus(Satoshis.of(1)), FUNDING.lockingScript()));
        CASES.put("broken-wrong-prevout-amount", new Case(single, wrongAmount, single.raw()));
        byte[] truncated = java.util.Arrays.copyOf(single.raw(), single.raw().length - 1);
        CASES.put("broken-truncated-by-one-byte", new Case(single, prevouts(single), truncated));

        ObjectNode input = JSON.createObjectNode();
        input.put("flags", FLAGS);
        ArrayNode txs = input.putArray("transactions");
        for (Map.Entry<String, Case> e : CASES.entrySet()) {
            ObjectNode t = txs.addObject();
            t.put("name", e.getKey());
            t.put("rawHex", Hex.encode(e.getValue().raw()));
            if (!e.getKey().startsWith("broken")) {
                t.put("efHex", Hex.encode(e.getValue().tx().extendedFormat()));
            }
            ArrayNode prev = t.putArray("prevouts");
            for (TxOutput o : e.getValue().prevoutsForVerifier()) {
                prev.addObject().put("satoshis", o.value().value()).put("lockingScriptHex", Hex.encode(o.script()));
            }
        }
        Path file = tmp.resolve("transactions.json");
        JSON.writeValue(file.toFile(), input);

        Path jsDir = Path.of(System.getProperty("raregen.js.dir", "src/test/js"));
        assertTrue(Files.isDirectory(jsDir.resolve("node_modules/@bsv/sdk")),
                "@bsv/sdk is not installed in " + jsDir.toAbsolutePath() + "; the Maven build runs `npm ci` there");
        Process p = new ProcessBuilder("node", "verify.mjs", file.toAbsolutePath().toString())
                .directory(jsDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node verify.mjs did not finish");
        assertEquals(0, p.exitValue(), "node verify.mjs failed: " + new String(out, StandardCharsets.UTF_8));
        JsonNode doc = JSON.readTree(out);
        sdkVersion = doc.get("sdkVersion").asText();
        for (JsonNode r : doc.get("results")) {
            RESULTS.put(r.get("name").asText(), r);
        }
        assertEquals(CASES.keySet(), RESULTS.keySet());
    }

    static void add(String name, SignedTransaction tx) {
        CASES.put(name, new Case(tx, prevouts(tx), tx.raw()));
    }

    static List<TxOutput> prevouts(SignedTransaction tx) {
        List<TxOutput> out = new ArrayList<>();
        for (Utxo u : tx.inputs()) {
            out.add(new TxOutput(u.satoshis(), u.lockingScript()));
        }
        return out;
    }

    /** An envelope whose signed payload is exactly {@code size} UTF-8 bytes (canonical JSON from 12 bytes up). */
    static Envelope envelopeOfSize(int size) {
        String payload = size >= 12 ? "{\"p\":\"" + "x".repeat(size - 8) + "\"}" : "7".repeat(size);
        assertEquals(size, payload.getBytes(StandardCharsets.UTF_8).length);
        return EnvelopeSigner.sign(payload, CLIENT);
    }

    static void assertAcceptedBySdk(String name) {
        JsonNode r = RESULTS.get(name);
        assertNotNull(r, name);
        assertTrue(r.get("parsed").asBoolean(), () -> name + ": " + r);
        assertTrue(r.get("reserializedEqual").asBoolean(), () -> name + " re-serialisation differs: " + r);
        assertEquals(CASES.get(name).tx().txid().hex(), r.get("txid").asText(), name);
        assertTrue(r.get("efParsed").asBoolean(), () -> name + " EF: " + r);
        assertTrue(r.get("efReserializedEqual").asBoolean(), () -> name + " EF: " + r);
        assertTrue(r.get("valid").asBoolean(), () -> name + " script verification failed: " + r);
    }

    /** SDK messages: a failed OP_CHECKSIG leaves false on the stack; FORKID and low-S failures are "format invalid". */
    static final String SDK_CHECKSIG_FALSE = "top stack element must be truthy";
    static final String SDK_SIGNATURE_FORMAT = "signature format is invalid";

    static void assertRejectedBySdkAndByUs(String name, String sdkMessagePart, String ourError) {
        JsonNode r = RESULTS.get(name);
        assertTrue(r.get("parsed").asBoolean() && r.get("reserializedEqual").asBoolean(),
                () -> name + " must fail in the script, not in parsing: " + r);
        assertFalse(r.get("valid").asBoolean(), () -> name + " was accepted by the SDK: " + r);
        JsonNode input0 = r.get("inputs").get(0);
        assertFalse(input0.get("valid").asBoolean());
        assertTrue(input0.get("error").asText().toLowerCase().contains(sdkMessagePart),
                () -> name + " failed for an unexpected reason: " + input0);
        Case c = CASES.get(name);
        TxOutput prev = c.prevoutsForVerifier().get(0);
        assertFalse(Signatures.verifyP2pkhInput(c.raw(), 0, prev.script(), prev.value()), name + " accepted by Signatures");
        assertEquals(ourError, Signatures.p2pkhInputError(RawTransaction.parse(c.raw()), 0, prev.script(), prev.value()));
    }

    @Test
    void singlePublishTransaction_isValidForTheSdk() {
        assertAcceptedBySdk("single");
        assertTrue(sdkVersion.startsWith("2."), sdkVersion);
    }

    @Test
    void chainOfTwo_childSpendingParentsChange_isValidForTheSdk() {
        assertAcceptedBySdk("single");
        assertAcceptedBySdk("chain-child");
        RawTransaction child = RawTransaction.parse(CASES.get("chain-child").raw());
        assertEquals(new Outpoint(CASES.get("single").tx().txid(), 1), child.inputs().get(0).prevout());
    }

    @Test
    void twoInputTransaction_isValidForTheSdk() {
        assertAcceptedBySdk("two-inputs");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 75, 76, 255, 256, 65_535, 65_536, 100_000})
    void payloadAtPushdataBoundary_isValidForTheSdk_andDecodesBackToTheEnvelope(int size) {
        String name = "payload-" + size;
        assertAcceptedBySdk(name);
        Case c = CASES.get(name);
        RecordExtractor.Extracted ex = RecordExtractor.fromRawTransaction(c.raw()).orElseThrow();
        assertEquals(0, ex.outputIndex());
        assertEquals(envelopeOfSize(size), ex.envelope());
        assertTrue(c.tx().fee().value() >= RATE.feeFor(c.tx().size()).value(), "fee below the rate");
        TxOutput prev = c.prevoutsForVerifier().get(0);
        assertTrue(Signatures.verifyP2pkhInput(c.raw(), 0, prev.script(), prev.value()));
    }

    @Test
    void flippedSignatureByte_isRejected() {
        assertRejectedBySdkAndByUs("broken-flipped-signature-byte", SDK_CHECKSIG_FALSE, "signature does not verify");
    }

    @Test
    void signatureWithoutForkIdBit_isRejected() {
        assertRejectedBySdkAndByUs("broken-no-forkid-bit", SDK_SIGNATURE_FORMAT, "signature must use SIGHASH_FORKID");
    }

    @Test
    void truncatedTransaction_isNotReportedAsReserialisingEqual() {
        // @bsv/sdk hands back the bytes it parsed, so verify.mjs must rebuild before comparing; this proves it does
        JsonNode r = RESULTS.get("broken-truncated-by-one-byte");
        assertNotNull(r);
        assertFalse(r.get("parsed").asBoolean() && r.get("reserializedEqual").asBoolean(), () -> "truncated tx passed: " + r);
        assertFalse(r.get("valid").asBoolean(), () -> "truncated tx valid: " + r);
    }

    @Test
    void wrongPrevoutAmountInTheDigest_isRejected() {
        assertRejectedBySdkAndByUs("broken-wrong-prevout-amount", SDK_CHECKSIG_FALSE, "signature does not verify");
    }

    // ---- helpers that break a valid transaction in one precise way ----

    static byte[] flipSignatureByte(byte[] raw) {
        RawTransaction tx = RawTransaction.parse(raw);
        List<byte[]> pushes = Pushes.readAll(tx.inputs().get(0).unlockingScript(), 0);
        byte[] sig = pushes.get(0);
        sig[10] ^= 0x01; // inside r: the DER structure stays valid, the signature does not
        return replaceUnlocking(tx, sig, pushes.get(1));
    }

    static byte[] resignInput0(SignedTransaction signed, int sighashType) {
        RawTransaction tx = RawTransaction.parse(signed.raw());
        Utxo u = signed.inputs().get(0);
        byte[] digest = ForkIdSighash.digest(tx, 0, u.lockingScript(), u.satoshis(), sighashType);
        byte[] der = POOL.signDigest(digest);
        byte[] sig = java.util.Arrays.copyOf(der, der.length + 1);
        sig[der.length] = (byte) sighashType;
        return replaceUnlocking(tx, sig, POOL.publicKey().compressed());
    }

    static byte[] replaceUnlocking(RawTransaction tx, byte[] sig, byte[] pubkey) {
        ByteWriter w = new ByteWriter(110);
        Pushes.write(w, sig);
        Pushes.write(w, pubkey);
        List<RawTransaction.Input> inputs = new ArrayList<>(tx.inputs());
        RawTransaction.Input old = inputs.get(0);
        inputs.set(0, new RawTransaction.Input(old.prevout(), w.toByteArray(), old.sequence()));
        byte[] raw = RawTransaction.serialize(tx.version(), inputs, tx.outputs(), tx.lockTime());
        assertFalse(java.util.Arrays.equals(raw, tx.bytes()));
        return raw;
    }
}
