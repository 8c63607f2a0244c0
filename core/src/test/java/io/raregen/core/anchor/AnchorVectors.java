package io.raregen.core.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.BatchId;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The anchor test vectors, src/test/resources/anchor/vectors.json. {@link #generate()} derives them with core's code
 * from fixed inputs (deterministic RFC 6979 signatures); {@code main(outputFile)}, run with the test classpath, wrote
 * the committed file, and a change to the vectors means running it again on purpose. The file is what
 * the tests hold the code to: {@link AnchorVectorsTest} recomputes every value from the inputs in it, and the
 * Node script anchor-cross.mjs recomputes them independently with @bsv/sdk's SHA-256.
 */
final class AnchorVectors {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RESOURCE = "/anchor/vectors.json";
    static final int[] TREE_SIZES = {1, 2, 3, 4, 5, 6, 7, 8};

    /** The docs/PROTOCOL.md worked-example key signs leaf 0 (its worked record); a second key signs the others. */
    static final KeyPair KEY_A = KeyPair.fromPrivateKeyHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    static final KeyPair KEY_B = KeyPair.fromPrivateKeyHex("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");

    static final String[] BATCH_IDS = {"01JZ8Q4T5XKD3M7N2P6R9S0VWY", "01JZ8Q4T5XKD3M7N2P6R9S0VWZ"};
    static final int[] ANCHORED_SIZES = {3, 8};

    private AnchorVectors() {
    }

    static List<Envelope> envelopes() {
        Instant t = Instant.parse("2026-11-22T19:00:00Z");
        List<Envelope> out = new ArrayList<>();
        out.add(EnvelopeSigner.sign(Payloads.publish(JSON.createObjectNode().put("hello", "world"), "n1", t, null), KEY_A));
        for (int i = 1; i < 8; i++) {
            ObjectNode record = JSON.createObjectNode().put("seq", i);
            if (i == 3) {
                // characters the canonical form escapes twice (quote, backslash, newline) and non-ASCII it keeps raw
                record.put("note", "Café ☕ \"quoted\" back\\slash\nline 𝄞");
            }
            String recordId = i == 5 ? "order-5" : null;
            out.add(EnvelopeSigner.sign(Payloads.publish(record, "anchor-" + i, t.plusSeconds(i), recordId), KEY_B));
        }
        return out;
    }

    static ObjectNode generate() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "raregen-anchor-vectors/1");
        root.put("description", "Anchor tree test vectors (docs/PROTOCOL.md#anchor-mode). recordDigest = SHA-256(canonicalEnvelope UTF-8); "
                + "leafHash = SHA-256(00 || recordDigest); node = SHA-256(01 || left || right); tree of size n over records[0..n-1]; "
                + "proof paths lowest sibling first; hashes in SHA-256 output order, lower-case hex; anchors are version-1 anchor scripts.");
        ArrayNode records = root.putArray("records");
        List<AnchorHash> digests = new ArrayList<>();
        for (Envelope e : envelopes()) {
            AnchorHash d = RecordLeaf.digest(e);
            digests.add(d);
            ObjectNode r = records.addObject();
            r.putObject("envelope").put("signedPayload", e.signedPayload()).put("signature", e.signature()).put("pubkey", e.pubkey());
            r.put("canonicalEnvelope", new String(RecordLeaf.canonicalEnvelope(e), StandardCharsets.UTF_8));
            r.put("recordDigest", d.hex());
            r.put("leafHash", AnchorHashing.leaf(d).hex());
        }
        ArrayNode trees = root.putArray("trees");
        for (int n : TREE_SIZES) {
            AnchorTree tree = AnchorTree.of(digests.subList(0, n));
            ObjectNode t = trees.addObject();
            t.put("size", n);
            t.put("root", tree.root().hex());
            ArrayNode proofs = t.putArray("proofs");
            for (int i = 0; i < n; i++) {
                ArrayNode path = proofs.addObject().put("leafIndex", i).putArray("path");
                tree.proof(i).path().forEach(h -> path.add(h.hex()));
            }
        }
        ArrayNode anchors = root.putArray("anchors");
        for (int k = 0; k < BATCH_IDS.length; k++) {
            Anchor a = Anchor.of(new BatchId(BATCH_IDS[k]), AnchorTree.of(digests.subList(0, ANCHORED_SIZES[k])));
            anchors.addObject().put("batchId", a.batchId().value()).put("treeSize", a.treeSize()).put("root", a.root().hex())
                    .put("script", Hex.encode(AnchorScript.encode(a)));
        }
        return root;
    }

    static JsonNode committed() throws IOException {
        try (InputStream in = AnchorVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the test classpath");
            }
            return JSON.readTree(in);
        }
    }

    /** Writes the vectors to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[0]).toFile(), generate());
    }
}
