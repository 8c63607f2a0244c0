package io.raregen.core.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.BatchId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed vectors (src/test/resources/anchor/vectors.json, shown in docs/PROTOCOL.md#anchor-mode) are
 * reproduced exactly: every value is recomputed from the envelopes in the file. The same file is checked by an
 * independent implementation in {@link AnchorCrossCheckTest}.
 */
class AnchorVectorsTest {
    static JsonNode vectors;
    static List<AnchorHash> digests;

    @BeforeAll
    static void load() throws Exception {
        vectors = AnchorVectors.committed();
        digests = new ArrayList<>();
        for (JsonNode r : vectors.get("records")) {
            digests.add(AnchorHash.fromHex(r.get("recordDigest").asText()));
        }
    }

    @Test
    void records_canonicalEnvelopeDigestAndLeafHash_areReproduced() throws Exception {
        assertEquals(8, vectors.get("records").size());
        for (JsonNode r : vectors.get("records")) {
            JsonNode e = r.get("envelope");
            Envelope envelope = new Envelope(e.get("signedPayload").asText(), e.get("signature").asText(), e.get("pubkey").asText());
            new EnvelopeVerifier().verifyWithoutFreshness(envelope, EnvelopeVerifier.TYPE_PUBLISH); // real signed records
            assertEquals(r.get("canonicalEnvelope").asText(), new String(RecordLeaf.canonicalEnvelope(envelope), StandardCharsets.UTF_8));
            assertEquals(r.get("recordDigest").asText(), RecordLeaf.digest(envelope).hex());
            assertEquals(r.get("leafHash").asText(), RecordLeaf.leafHash(envelope).hex());
        }
    }

    @Test
    void trees_rootsAndEveryProof_areReproducedAndVerify() {
        List<Integer> sizes = new ArrayList<>();
        for (JsonNode t : vectors.get("trees")) {
            int n = t.get("size").asInt();
            sizes.add(n);
            AnchorTree tree = AnchorTree.of(digests.subList(0, n));
            AnchorHash root = AnchorHash.fromHex(t.get("root").asText());
            assertEquals(root, tree.root(), "root of " + n);
            assertEquals(n, t.get("proofs").size());
            for (JsonNode p : t.get("proofs")) {
                int i = p.get("leafIndex").asInt();
                List<AnchorHash> path = new ArrayList<>();
                p.get("path").forEach(h -> path.add(AnchorHash.fromHex(h.asText())));
                InclusionProof committed = new InclusionProof(i, n, path);
                assertEquals(tree.proof(i), committed, "proof of " + i + " in " + n);
                assertTrue(AnchorTree.verify(AnchorHashing.leaf(digests.get(i)), committed, root));
            }
        }
        assertTrue(sizes.containsAll(List.of(1, 2, 3, 5, 7, 8)), "sizes " + sizes);
    }

    @Test
    void anchors_scriptsAreReproducedAndDecode() throws Exception {
        for (JsonNode a : vectors.get("anchors")) {
            int n = a.get("treeSize").asInt();
            Anchor anchor = Anchor.of(new BatchId(a.get("batchId").asText()), AnchorTree.of(digests.subList(0, n)));
            assertEquals(a.get("root").asText(), anchor.root().hex());
            assertEquals(a.get("script").asText(), Hex.encode(AnchorScript.encode(anchor)));
            assertEquals(anchor, AnchorScript.decode(Hex.decode(a.get("script").asText())));
        }
    }

    /** The generator and the file agree as a whole (nothing in the file that the tests above skip). */
    @Test
    void theCommittedFile_isWhatTheGeneratorProduces() throws Exception {
        assertEquals(AnchorVectors.generate(), vectors);
    }
}
