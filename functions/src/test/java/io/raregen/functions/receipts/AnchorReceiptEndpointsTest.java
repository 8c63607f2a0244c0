package io.raregen.functions.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorScript;
import io.raregen.core.anchor.InclusionProof;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.PublishRequest;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.proof.Beef;
import io.raregen.core.proof.BlockHeader;
import io.raregen.core.proof.MerklePath;
import io.raregen.functions.support.Anchors;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anchor-mode jobs over real HTTP: GET /v1/jobs/{id}, /proof and /receipt carry the anchor (batch, leaf, size, path,
 * root, the anchor transaction, its BUMP once mined), and the path leads from the record to the root in that
 * transaction's anchor output.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnchorReceiptEndpointsTest implements TestPropertyProvider {
    private static final HexFormat HEX = HexFormat.of();

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    private ApiResponse send(ApiRequest r) {
        return new HttpTransport(server.getURI()).send(r);
    }

    /** The anchor object's path leads from the envelope's record digest to the root of the transaction's anchor. */
    private static void assertLeafVerifiesOnTheTransaction(JsonNode anchor, String body) throws Exception {
        byte[] raw = HEX.parseHex(anchor.get("rawTx").asText());
        Anchor onChain = AnchorScript.fromRawTransaction(raw).orElseThrow().anchor();
        assertEquals(anchor.get("batchId").asText(), onChain.batchId().value());
        assertEquals(anchor.get("treeSize").asInt(), onChain.treeSize());
        assertEquals(anchor.get("root").asText(), onChain.root().hex());
        List<AnchorHash> path = new ArrayList<>();
        anchor.get("path").forEach(h -> path.add(AnchorHash.fromHex(h.asText())));
        AnchorHash digest = RecordLeaf.digest(PublishRequest.parseJson(body).envelope());
        assertTrue(onChain.verify(digest, new InclusionProof(anchor.get("leafIndex").asInt(), onChain.treeSize(), path)));
    }

    @Test
    void anchorJobs_statusProofAndReceipt_carryTheAnchor_queuedThroughMined() throws Exception {
        KeyPair key = KeyPair.generate();
        assertEquals(201, send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
        List<String> jobs = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "{\"mode\":\"anchor\"," + Envelopes.body(Envelopes.publish(key)).substring(1);
            ApiResponse r = send(ApiRequest.postJson("/v1/publish", body));
            assertEquals(202, r.status(), r.toString());
            jobs.add(r.json().get("jobId").asText());
            bodies.add(body);
        }
        String job = jobs.get(2);

        // queued: the mode, no anchor yet; the receipt is the acceptance alone
        JsonNode queued = send(ApiRequest.get("/v1/jobs/" + job)).json();
        assertEquals("anchor", queued.get("mode").asText());
        assertFalse(queued.has("anchor"));
        assertEquals(409, send(ApiRequest.get("/v1/jobs/" + job + "/proof")).status());
        JsonNode accepted = send(ApiRequest.get("/v1/jobs/" + job + "/receipt")).json();
        assertFalse(accepted.has("anchor"));
        assertEquals(bodies.get(2), new String(Base64.getDecoder().decode(accepted.get("envelope").asText()), StandardCharsets.UTF_8),
                "the receipt's envelope is the body as sent, mode included");
        assertEquals(PublishMode.ANCHOR, PublishRequest.parseJson(bodies.get(2)).mode());

        // signed and sent in one anchor batch of five
        Anchors.Stored batch = Anchors.anchor(env, jobs);
        Anchors.markSent(env, batch.batchId());
        JsonNode status = send(ApiRequest.get("/v1/jobs/" + job)).json();
        assertEquals("sent", status.get("status").asText());
        assertEquals(batch.tx().txid().hex(), status.get("txid").asText(), "an anchor job's txid is its batch's");
        assertEquals(batch.batchId(), status.get("anchor").get("batchId").asText());
        assertEquals(2, status.get("anchor").get("leafIndex").asInt());
        assertEquals(5, status.get("anchor").get("treeSize").asInt());
        assertEquals(batch.tree().root().hex(), status.get("anchor").get("root").asText());

        JsonNode proof = send(ApiRequest.get("/v1/jobs/" + job + "/proof")).json();
        assertEquals(batch.tx().txid().hex(), proof.get("txid").asText());
        assertEquals(0, proof.get("outputIndex").asInt(), "the anchor output");
        assertEquals(batch.tx().txid().hex(), proof.get("anchor").get("txid").asText());
        assertEquals(3, proof.get("anchor").get("path").size(), "leaf 2 of 5: [l3, n0-1, l4]");
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode a = send(ApiRequest.get("/v1/jobs/" + jobs.get(i) + "/proof")).json().get("anchor");
            assertEquals(i, a.get("leafIndex").asInt());
            assertLeafVerifiesOnTheTransaction(a, bodies.get(i));
        }

        JsonNode sent = send(ApiRequest.get("/v1/jobs/" + job + "/receipt")).json();
        assertEquals("sent", sent.get("status").asText());
        assertEquals(batch.tx().rawHex(), sent.get("transaction").get("rawTx").asText());
        assertEquals(sent.get("transaction").get("rawTx"), sent.get("anchor").get("rawTx"));
        assertFalse(sent.has("proof"));
        assertFalse(sent.get("anchor").has("merklePath"));
        assertLeafVerifiesOnTheTransaction(sent.get("anchor"), bodies.get(2));

        // mined: the batch's block and BUMP, in the proof and the receipt of every job of the batch
        byte[] coinbase = MessageDigest.getInstance("SHA-256").digest("coinbase".getBytes(StandardCharsets.UTF_8));
        ByteWriter w = new ByteWriter(100);
        w.writeVarInt(900).writeByte(1).writeVarInt(2);
        w.writeVarInt(0).writeByte(0).write(coinbase);
        w.writeVarInt(1).writeByte(2).write(batch.tx().txid().wireBytes());
        byte[] bump = w.toByteArray();
        MerklePath path = MerklePath.parse(bump);
        String root = path.computeRootHex(batch.tx().txid());
        BlockHeader header = BlockHeader.fromFields(0x20000000, "00".repeat(32), root, 1_764_000_000L, 0x207fffff, 1);
        env.execute("INSERT INTO block_headers (block_hash, block_height, header, source) VALUES (?, 900, ?, 'test')",
                header.hash(), header.raw());
        env.execute("UPDATE anchor_batches SET status = 'mined', mined_at = now(), block_hash = ?, block_height = 900, "
                + "merkle_path = ? WHERE batch_id = ?", header.hash(), bump, batch.batchId());
        env.execute("UPDATE publish_jobs SET status = 'mined', mined_at = now() WHERE anchor_batch_id = ?", batch.batchId());
        JsonNode mined = send(ApiRequest.get("/v1/jobs/" + job + "/receipt")).json();
        assertEquals("mined", mined.get("status").asText());
        assertEquals(HEX.formatHex(Beef.of(batch.tx().raw(), path)), mined.get("proof").get("beef").asText());
        assertEquals(header.hex(), mined.get("proof").get("blockHeader").asText());
        assertEquals(root, mined.get("proof").get("merkleRoot").asText());
        assertEquals(HEX.formatHex(bump), mined.get("anchor").get("merklePath").asText());
        assertEquals(header.hash(), send(ApiRequest.get("/v1/jobs/" + job)).json().get("blockHash").asText());
    }
}
