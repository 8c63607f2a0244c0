package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.SdkCheck;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.record.RecordExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transaction the pipeline published, checked by an implementation that shares no code with ours: the official
 * BSV TypeScript SDK (@bsv/sdk, pinned in src/test/js/package-lock.json, installed by the build's {@code npm ci}).
 * Each must pass the SDK's script interpreter with the node's post-Genesis policy flags including FORKID, re-serialise
 * byte-equal, and carry a record whose pushes (as the SDK parses them) are exactly the stored envelope, which our own
 * {@link RecordExtractor} also decodes. Tampered copies sent through the same Node run must fail, so the check can fail.
 */
class PublishedTransactionsSdkCheckTest extends ChainAndQueue {
    /** The same policy without FORKID: used once, to show the legacy-signed control is otherwise a valid spend. */
    static final String FLAGS_WITHOUT_FORKID = "STRICTENC,DERSIG,LOW_S,NULLDUMMY,SIGPUSHONLY,CLEANSTACK,MINIMALDATA";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    /** One published job as stored: its transaction, its inputs' previous outputs, its envelope. */
    record Published(String jobId, String txid, byte[] rawTx, Envelope envelope, ObjectNode prevouts) {
    }

    @Test
    void publishedTransactions_passBsvSdkInterpreterWithForkId_reserialiseByteEqual_andCarryTheirEnvelope() throws Exception {
        int n = 50;
        kit.fundPool(n + 10, 1000);
        List<String> ids = kit.insertJobs(n);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);
        PublishPipeline p = kit.pipeline(kit.fastPipeline(), kit.fastRecovery(), RateLimiter.unlimited(), sqs.client, queue,
                PipelineHooks.NONE, "sdk-check");
        p.start();
        try {
            assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')", n,
                    Duration.ofSeconds(90)));
        } finally {
            p.close();
        }
        Invariants.assertAllPublished(kit, ids); // the chain accepted every txid

        List<Published> published = loadPublished();
        assertEquals(n, published.size());

        SdkCheck sdk = new SdkCheck("src/test/js");
        for (Published pub : published) {
            sdk.add(pub.jobId(), pub.rawTx(), pub.prevouts());
        }
        // Negative controls, in the same Node run: each must be refused, or this test could not fail.
        Published victim = published.get(0);
        sdk.add("control:tampered-record", tamperPayload(victim), victim.prevouts());
        ObjectNode richer = victim.prevouts().deepCopy();
        richer.fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("satoshis", e.getValue().get("satoshis").asLong() + 1));
        sdk.add("control:wrong-prevout-amount", victim.rawTx(), richer);
        byte[] truncated = java.util.Arrays.copyOf(victim.rawTx(), victim.rawTx().length - 1);
        sdk.add("control:truncated", truncated, victim.prevouts());
        // Proof that the FORKID flag is in force: the same spend signed the pre-fork way (sighash 0x01, legacy digest)
        // passes without SIGHASH_FORKID and must fail with it.
        byte[] legacy = resignLegacy(victim);
        sdk.add("control:legacy-sighash", legacy, victim.prevouts());
        sdk.add("control:legacy-sighash-without-forkid-flags", legacy, victim.prevouts()).put("flags", FLAGS_WITHOUT_FORKID);

        JsonNode results = sdk.run(tmp); // checks the pinned SDK version, the FORKID flags and one result per entry
        assertEquals(n + 5, results.size());

        for (int i = 0; i < n; i++) {
            Published pub = published.get(i);
            JsonNode r = results.get(i);
            assertEquals(pub.jobId(), r.get("name").asText());
            assertTrue(r.get("parsed").asBoolean(), () -> pub.jobId() + ": " + r);
            assertTrue(r.get("reserializedEqual").asBoolean(), () -> pub.jobId() + " re-serialises byte-equal: " + r);
            assertEquals(pub.txid(), r.get("txid").asText(), "SDK's txid is the stored txid");
            assertEquals(pub.prevouts().size(), r.get("inputs").size(), "one prevout per input");
            for (JsonNode in : r.get("inputs")) {
                assertTrue(in.get("valid").asBoolean(), () -> pub.jobId() + " input " + in);
            }
            assertTrue(r.get("valid").asBoolean(), () -> pub.jobId() + ": " + r);

            assertEquals(pub.envelope(), decodeWithCore(pub.rawTx()), "core decodes the record to the stored envelope");
            assertEquals(SdkCheck.expectedPushes(pub.envelope()), SdkCheck.recordPushes(r), "the SDK's parse of the record output is the stored envelope");
        }

        for (int i = n; i < n + 4; i++) {
            JsonNode r = results.get(i);
            assertFalse(r.get("valid").asBoolean(), () -> "negative control accepted: " + r);
        }
        JsonNode tampered = results.get(n);
        assertTrue(tampered.get("reserializedEqual").asBoolean(), "same length, so only the signature can catch it");
        assertFalse(tampered.get("inputs").get(0).get("valid").asBoolean(), tampered::toString);
        assertFalse(results.get(n + 1).get("inputs").get(0).get("valid").asBoolean(), () -> results.get(n + 1).toString());
        JsonNode legacyWithForkId = results.get(n + 3);
        assertTrue(legacyWithForkId.get("reserializedEqual").asBoolean(), legacyWithForkId::toString);
        assertFalse(legacyWithForkId.get("inputs").get(0).get("valid").asBoolean(), legacyWithForkId::toString);
        JsonNode legacyWithoutForkId = results.get(n + 4);
        assertTrue(legacyWithoutForkId.get("valid").asBoolean(),
                () -> "the legacy-signed control must be a valid spend apart from FORKID, or it proves nothing: " + legacyWithoutForkId);
        // the record comparison itself can fail: another job's envelope is not this record
        assertNotEquals(SdkCheck.expectedPushes(published.get(1).envelope()), SdkCheck.recordPushes(results.get(0)));
    }

    private List<Published> loadPublished() throws SQLException {
        List<Published> out = new ArrayList<>();
        String poolScript = HEX.formatHex(kit.poolKey.p2pkhLockingScript());
        try (Connection c = kit.ds.getConnection(); Statement s = c.createStatement();
             PreparedStatement prev = c.prepareStatement(
                     // an accepted transaction's inputs have left the pool (V51): their spends rows carry value and script
                     "SELECT s.outpoint_txid, s.outpoint_vout, s.satoshis, s.script_pub_key FROM spends s "
                             + "WHERE s.spending_txid = ? ORDER BY 1, 2");
             ResultSet rs = s.executeQuery("SELECT job_id, txid, " + io.raregen.core.jobs.JobTransactionBytes.rawTxOf("publish_jobs") + ", signed_payload, signature, pubkey FROM publish_jobs "
                     + "WHERE job_id IN (SELECT job_id FROM job_states WHERE status IN ('sent', 'mined')) ORDER BY job_id")) {
            while (rs.next()) {
                String txid = rs.getString(2);
                ObjectNode prevouts = JSON.createObjectNode();
                prev.setString(1, txid);
                try (ResultSet p = prev.executeQuery()) {
                    while (p.next()) {
                        assertNotNull(p.getBytes(4), "the spends row keeps the spent output's script");
                        String script = HEX.formatHex(p.getBytes(4));
                        assertEquals(poolScript, script, "publish inputs are the pool key's P2PKH outputs");
                        prevouts.putObject(p.getString(1) + ":" + p.getInt(2))
                                .put("satoshis", p.getLong(3)).put("lockingScriptHex", script);
                    }
                }
                assertTrue(prevouts.size() > 0, "stored inputs for " + txid);
                out.add(new Published(rs.getString(1), txid, rs.getBytes(3),
                        new Envelope(rs.getString(4), rs.getString(5), rs.getString(6)), prevouts));
            }
        }
        return out;
    }

    /** Changes one byte of the signed payload inside the record output: same length, different sighash. */
    private static byte[] tamperPayload(Published pub) {
        byte[] raw = pub.rawTx().clone();
        byte[] payload = pub.envelope().signedPayload().getBytes(StandardCharsets.UTF_8);
        int at = indexOf(raw, payload);
        assertTrue(at >= 0, "payload bytes are in the transaction");
        raw[at + payload.length / 2] ^= 0x01;
        return raw;
    }

    /**
     * The victim's single P2PKH input re-signed with sighash ALL without FORKID over the legacy (pre-BIP143) digest,
     * which bitcoinj computes for a {@code 0x01} type; every other byte unchanged.
     */
    private byte[] resignLegacy(Published pub) {
        byte[] raw = pub.rawTx();
        org.bitcoinj.core.Transaction tx = org.bitcoinj.core.Transaction.read(java.nio.ByteBuffer.wrap(raw));
        assertEquals(1, tx.getInputs().size(), "a publish transaction spends one pool output");
        byte[] digest = tx.hashForSignature(0, kit.poolKey.p2pkhLockingScript(), (byte) 0x01).getBytes();
        byte[] der = kit.poolKey.signDigest(digest);
        byte[] pub33 = kit.poolKey.publicKey().compressed();
        java.io.ByteArrayOutputStream script = new java.io.ByteArrayOutputStream();
        script.write(der.length + 1);
        script.writeBytes(der);
        script.write(0x01);
        script.write(pub33.length);
        script.writeBytes(pub33);
        byte[] unlocking = script.toByteArray();
        // version (4), input count (1), outpoint (36), then the old script's one-byte length and the script
        int at = 4 + 1 + 36;
        int oldLen = raw[at] & 0xff;
        assertTrue(oldLen < 0xfd && unlocking.length < 0xfd);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(raw, 0, at);
        out.write(unlocking.length);
        out.writeBytes(unlocking);
        out.write(raw, at + 1 + oldLen, raw.length - (at + 1 + oldLen));
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Envelope decodeWithCore(byte[] raw) {
        Optional<RecordExtractor.Extracted> ex = RecordExtractor.fromRawTransaction(raw);
        assertTrue(ex.isPresent(), "record decodable");
        return ex.get().envelope();
    }
}
