package io.raregen.core.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.raregen.core.anchor.AnchorVectors.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second implementation of the anchor tree, src/test/js/anchor-cross.mjs — RFC 6962's recursive definition over
 * the official BSV TypeScript SDK's SHA-256, no code shared with core — recomputes the committed vectors from their
 * envelopes, verifies every committed proof and rejects tampered ones, agrees with {@link AnchorTree} on random trees,
 * and reads anchor outputs of transactions built here with the SDK's transaction and script parsers. One Node run.
 */
class AnchorCrossCheckTest {
    static final int[] RANDOM_SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257};
    static final KeyPair POOL = KeyPair.fromPrivateKeyHex("1f".repeat(32));
    static final Anchor TX_ANCHOR = new Anchor(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), 1000, AnchorHash.fromHex("c0".repeat(32)));

    static JsonNode vectors;
    static JsonNode result;
    static final Map<String, List<AnchorHash>> RANDOM = new LinkedHashMap<>();
    static final Map<String, SignedTransaction> TRANSACTIONS = new LinkedHashMap<>();

    @BeforeAll
    static void runNodeOnce(@TempDir Path tmp) throws Exception {
        vectors = AnchorVectors.committed();
        ObjectNode in = JSON.createObjectNode();
        in.put("vectorsFile", Path.of(AnchorVectors.class.getResource(AnchorVectors.RESOURCE).toURI()).toString());

        SecureRandom random = new SecureRandom();
        ArrayNode randomTrees = in.putArray("random");
        for (int n : RANDOM_SIZES) {
            List<AnchorHash> digests = new ArrayList<>();
            ArrayNode hex = randomTrees.addObject().put("name", "random-" + n).putArray("digests");
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[32];
                random.nextBytes(b);
                digests.add(AnchorHash.of(b));
                hex.add(Hex.encode(b));
            }
            RANDOM.put("random-" + n, digests);
        }

        byte[] anchorScript = AnchorScript.encode(TX_ANCHOR);
        TRANSACTIONS.put("anchor", transactionWith(anchorScript));
        TRANSACTIONS.put("anchor-truncated", transactionWith(Arrays.copyOf(anchorScript, anchorScript.length - 1)));
        ArrayNode txs = in.putArray("transactions");
        TRANSACTIONS.forEach((name, tx) -> txs.addObject().put("name", name).put("rawHex", Hex.encode(tx.raw())));

        Path file = tmp.resolve("anchor-input.json");
        JSON.writeValue(file.toFile(), in);
        Path jsDir = Path.of(System.getProperty("raregen.js.dir", "src/test/js"));
        assertTrue(Files.isDirectory(jsDir.resolve("node_modules/@bsv/sdk")),
                "@bsv/sdk is not installed in " + jsDir.toAbsolutePath() + "; the Maven build runs `npm ci` there");
        Process p = new ProcessBuilder("node", "anchor-cross.mjs", file.toAbsolutePath().toString())
                .directory(jsDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node anchor-cross.mjs did not finish");
        assertEquals(0, p.exitValue(), "node anchor-cross.mjs failed: " + new String(out, StandardCharsets.UTF_8));
        result = JSON.readTree(out);
    }

    static SignedTransaction transactionWith(byte[] script) {
        return new TransactionBuilder()
                .addInput(new Utxo(new Outpoint(Txid.fromHex("5a".repeat(32)), 0), Satoshis.of(10_000), POOL.p2pkhLockingScript()))
                .addOutput(new TxOutput(Satoshis.of(0), script))
                .changeTo(POOL.p2pkhLockingScript())
                .sign(POOL, FeeRate.perKb(1));
    }

    @Test
    void records_theSdkDerivesTheSameCanonicalEnvelopeDigestAndLeafHash() {
        JsonNode committed = vectors.get("records");
        JsonNode js = result.get("vectors").get("records");
        assertEquals(committed.size(), js.size());
        for (int i = 0; i < committed.size(); i++) {
            for (String field : List.of("canonicalEnvelope", "recordDigest", "leafHash")) {
                assertEquals(committed.get(i).get(field).asText(), js.get(i).get(field).asText(), field + " of record " + i);
            }
            assertTrue(js.get(i).get("signatureValid").asBoolean(), "the SDK verifies the signature of record " + i);
        }
    }

    @Test
    void trees_theSecondImplementationReproducesEveryRootAndPath_andVerifiesEveryCommittedProof() {
        JsonNode committed = vectors.get("trees");
        JsonNode js = result.get("vectors").get("trees");
        assertEquals(committed.size(), js.size());
        int tampered = 0;
        for (int t = 0; t < committed.size(); t++) {
            JsonNode c = committed.get(t);
            JsonNode j = js.get(t);
            int n = c.get("size").asInt();
            assertEquals(n, j.get("size").asInt());
            assertEquals(c.get("root").asText(), j.get("root").asText(), "root of " + n);
            for (int i = 0; i < n; i++) {
                JsonNode jp = j.get("proofs").get(i);
                assertEquals(c.get("proofs").get(i).get("path"), jp.get("path"), "path of " + i + " in " + n);
                assertTrue(jp.get("committedVerifies").asBoolean(), "committed proof of " + i + " in " + n);
                assertEquals(0, jp.get("tamperedAccepted").asInt(), "tampered proof accepted: " + i + " in " + n);
                tampered += jp.get("tamperedTried").asInt();
            }
        }
        assertTrue(tampered > 500, "tampered proofs tried: " + tampered);
    }

    @Test
    void randomTrees_bothImplementationsAgree() {
        Map<String, JsonNode> js = new LinkedHashMap<>();
        result.get("random").forEach(r -> js.put(r.get("name").asText(), r));
        assertEquals(RANDOM.keySet(), js.keySet());
        RANDOM.forEach((name, digests) -> {
            AnchorTree tree = AnchorTree.of(digests);
            JsonNode r = js.get(name);
            assertEquals(tree.root().hex(), r.get("root").asText(), name);
            for (int i = 0; i < tree.size(); i++) {
                List<String> path = tree.proof(i).path().stream().map(AnchorHash::hex).toList();
                List<String> jsPath = new ArrayList<>();
                r.get("paths").get(i).forEach(h -> jsPath.add(h.asText()));
                assertEquals(path, jsPath, name + " leaf " + i);
            }
        });
    }

    @Test
    void vectorAnchors_theSdkReadsAnOpFalseOpReturnScriptWithTheSixPushes() throws Exception {
        JsonNode committed = vectors.get("anchors");
        JsonNode js = result.get("vectors").get("anchors");
        assertEquals(committed.size(), js.size());
        for (int i = 0; i < committed.size(); i++) {
            Anchor anchor = AnchorScript.decode(Hex.decode(committed.get(i).get("script").asText()));
            assertParsedAs(anchor, js.get(i).get("script"));
            assertTrue(js.get(i).get("rootMatchesTree").asBoolean(), "anchor " + i);
        }
    }

    @Test
    void anchorTransaction_theSdkParsesItAndFindsTheAnchorInOutput0() {
        JsonNode tx = transaction("anchor");
        assertEquals(TRANSACTIONS.get("anchor").txid().hex(), tx.get("txid").asText());
        JsonNode out0 = tx.get("outputs").get(0);
        assertEquals(0, out0.get("satoshis").asLong());
        assertParsedAs(TX_ANCHOR, out0.get("script"));
        JsonNode change = tx.get("outputs").get(1).get("script");
        assertFalse(change.get("opReturn").asBoolean());
        assertTrue(change.path("anchor").isMissingNode());
    }

    @Test
    void truncatedAnchor_isRejectedByBothParsers() {
        JsonNode script = transaction("anchor-truncated").get("outputs").get(0).get("script");
        assertTrue(script.get("opReturn").asBoolean());
        assertFalse(script.get("allPushes").asBoolean(), () -> "the SDK accepted a truncated push: " + script);
        byte[] bytes = TRANSACTIONS.get("anchor-truncated").outputs().get(0).script();
        assertThrows(AnchorFormatException.class, () -> AnchorScript.decode(bytes));
    }

    static JsonNode transaction(String name) {
        for (JsonNode t : result.get("transactions")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no result for " + name);
    }

    static void assertParsedAs(Anchor anchor, JsonNode script) {
        assertTrue(script.get("opFalse").asBoolean(), () -> "not OP_FALSE first: " + script);
        assertTrue(script.get("opReturn").asBoolean(), () -> "not OP_RETURN second: " + script);
        assertTrue(script.get("allPushes").asBoolean(), () -> "not only data pushes after OP_RETURN: " + script);
        assertTrue(script.get("reserializedEqual").asBoolean(), () -> "re-serialised differently: " + script);
        List<String> expected = List.of(hexAscii("raregen"), hexAscii("anchor"), hexAscii("1"), hexAscii(anchor.batchId().value()),
                String.format("%08x", anchor.treeSize()), anchor.root().hex());
        List<String> pushes = new ArrayList<>();
        script.get("pushes").forEach(p -> pushes.add(p.asText()));
        assertEquals(expected, pushes);
        JsonNode a = script.get("anchor");
        assertNotNull(a, () -> "the script did not read as an anchor: " + script);
        assertEquals(anchor, new Anchor(new BatchId(a.get("batchId").asText()), a.get("treeSize").asInt(), AnchorHash.fromHex(a.get("root").asText())));
        assertEquals("1", a.get("version").asText());
    }

    static String hexAscii(String s) {
        return Hex.encode(s.getBytes(StandardCharsets.US_ASCII));
    }
}
