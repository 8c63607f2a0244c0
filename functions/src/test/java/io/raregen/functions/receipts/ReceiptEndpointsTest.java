package io.raregen.functions.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.proof.Beef;
import io.raregen.core.proof.BlockHeader;
import io.raregen.core.proof.MerklePath;
import io.raregen.core.receipt.ReceiptSignatures;
import io.raregen.core.types.PublicKey;
import io.raregen.core.types.Txid;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Chain;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.LambdaTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receipts over real HTTP on the Netty host: the signed 202, the published keys, and the upgrades queued → sent → mined. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiptEndpointsTest implements TestPropertyProvider {
    private static final HexFormat HEX = HexFormat.of();
    private static final KeyPair RETIRED = KeyPair.fromPrivateKeyHex("02".repeat(32));

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        Map<String, String> p = new java.util.HashMap<>(env.properties());
        p.put("raregen.receipts.service-name", "raregen-test");
        p.put("raregen.receipts.valid-from", "2026-06-01T00:00:00Z");
        p.put("raregen.receipts.retired-keys", RETIRED.publicKey().hex() + "/2026-01-01T00:00:00Z/2026-06-01T00:00:00Z");
        return p;
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    private ApiResponse send(ApiRequest r) {
        return new HttpTransport(server.getURI()).send(r);
    }

    private KeyPair registered() {
        KeyPair key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(201, r.status(), r.toString());
        return key;
    }

    private static String sha256(String s) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks a receipt's signature the way a client would: the key from GET /v1/service-keys, the statement as received. */
    private void assertSignedByPublishedKey(JsonNode receipt) {
        JsonNode keys = send(ApiRequest.get("/v1/service-keys")).json().get("keys");
        String keyId = receipt.get("statement").get("service").get("keyId").asText();
        JsonNode key = null;
        for (JsonNode k : keys) {
            if (k.get("keyId").asText().equals(keyId)) {
                key = k;
            }
        }
        assertNotNull(key, "the receipt's key is published");
        assertEquals(key.get("publicKey").asText(), receipt.get("serviceKey").asText());
        assertNull(ReceiptSignatures.verify(receipt.get("statement").toString(), receipt.get("signature").asText(),
                PublicKey.fromHex(key.get("publicKey").asText())));
    }

    @Test
    void publish_answersWithASignedReceiptOverTheExactBody_andAByteIdenticalRetryGetsTheSameOne() throws Exception {
        KeyPair key = registered();
        // not the canonical layout: the receipt covers the bytes sent, not a re-encoding
        Envelope e = Envelopes.publish(key);
        String body = "{\n  \"pubkey\": \"" + e.pubkey() + "\",\n  \"signature\": \"" + e.signature() + "\",\n  \"signedPayload\": "
                + Envelopes.quote(e.signedPayload()) + "\n}";
        ApiResponse first = send(ApiRequest.postJson("/v1/publish", body));
        assertEquals(202, first.status(), first.toString());
        JsonNode receipt = first.json().get("receipt");
        JsonNode statement = receipt.get("statement");
        String jobId = first.json().get("jobId").asText();
        assertEquals("queued", first.json().get("status").asText(), "existing fields stay");
        assertEquals("raregen-acceptance/1", statement.get("type").asText());
        assertEquals(jobId, statement.get("jobId").asText());
        assertEquals(sha256(body), statement.get("envelopeSha256").asText());
        assertEquals("raregen-test", statement.get("service").get("name").asText());
        assertEquals(ReceiptSignatures.keyId(TestEnv.RECEIPT_KEY.publicKey()), statement.get("service").get("keyId").asText());
        assertEquals(env.string("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM publish_jobs WHERE job_id = ?", jobId),
                statement.get("acceptedAt").asText().substring(0, 19));
        assertSignedByPublishedKey(receipt);
        assertEquals(sha256(body), env.string("SELECT envelope_sha256 FROM publish_jobs WHERE job_id = ?", jobId));

        ApiResponse retry = send(ApiRequest.postJson("/v1/publish", body));
        assertEquals(200, retry.status(), retry.toString());
        assertEquals(receipt, retry.json().get("receipt"), "same job, same envelope hash, same time, same signature");
    }

    @Test
    void receipt_upgradesFromAcceptanceToTransactionToBeefWithTheBlockHeader() throws Exception {
        KeyPair key = registered();
        String body = Envelopes.body(Envelopes.publish(key));
        ApiResponse published = send(ApiRequest.postJson("/v1/publish", body));
        String jobId = published.json().get("jobId").asText();

        JsonNode queued = send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt")).json();
        assertEquals("raregen-receipt/1", queued.get("format").asText());
        assertEquals("queued", queued.get("status").asText());
        assertEquals(published.json().get("receipt"), queued.get("acceptance"));
        assertEquals(body, new String(Base64.getDecoder().decode(queued.get("envelope").asText()), StandardCharsets.UTF_8));
        assertFalse(queued.has("transaction"));
        assertFalse(queued.has("proof"));

        Chain.Signed signed = Chain.signJob(env, jobId, 200);
        assertFalse(send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt")).json().has("transaction"), "signed is not yet sent");
        Chain.markSent(env, jobId);
        JsonNode sent = send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt")).json();
        assertEquals("sent", sent.get("status").asText());
        assertEquals(signed.txid(), sent.get("transaction").get("txid").asText());
        assertEquals(HEX.formatHex(signed.rawTx()), sent.get("transaction").get("rawTx").asText());
        assertEquals(0, sent.get("transaction").get("outputIndex").asInt());
        assertEquals(signed.inputTxid(), sent.get("transaction").get("inputs").get(0).get("txid").asText());
        assertFalse(sent.has("proof"));

        // mined in a two-leaf block: a coinbase, then our transaction
        byte[] coinbase = MessageDigest.getInstance("SHA-256").digest("coinbase".getBytes(StandardCharsets.UTF_8));
        ByteWriter w = new ByteWriter(100);
        w.writeVarInt(812).writeByte(1).writeVarInt(2);
        w.writeVarInt(0).writeByte(0).write(coinbase);
        w.writeVarInt(1).writeByte(2).write(Txid.fromHex(signed.txid()).wireBytes());
        byte[] bump = w.toByteArray();
        MerklePath path = MerklePath.parse(bump);
        String root = path.computeRootHex(Txid.fromHex(signed.txid()));
        BlockHeader header = BlockHeader.fromFields(0x20000000, "00".repeat(32), root, 1_764_000_000L, 0x207fffff, 1);
        env.execute("INSERT INTO block_headers (block_hash, block_height, header, source) VALUES (?, 812, ?, 'test')",
                header.hash(), header.raw());
        env.execute("UPDATE publish_jobs SET status = 'mined', mined_at = now(), block_hash = ?, block_height = 812, merkle_path = ? "
                + "WHERE job_id = ?", header.hash(), bump, jobId);
        JsonNode mined = send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt")).json();
        assertEquals("mined", mined.get("status").asText());
        JsonNode proof = mined.get("proof");
        assertEquals(HEX.formatHex(Beef.of(signed.rawTx(), path)), proof.get("beef").asText());
        assertEquals(header.hash(), proof.get("blockHash").asText());
        assertEquals(812, proof.get("blockHeight").asInt());
        assertEquals(root, proof.get("merkleRoot").asText());
        assertEquals(header.hex(), proof.get("blockHeader").asText());
        assertEquals(published.json().get("receipt"), mined.get("acceptance"), "the acceptance never changes");
    }

    @Test
    void serviceKeys_listTheCurrentAndRetiredKeysWithValidity() {
        ApiResponse r = send(ApiRequest.get("/v1/service-keys"));
        assertEquals(200, r.status(), r.toString());
        JsonNode keys = r.json().get("keys");
        assertEquals("raregen-test", r.json().get("service").asText());
        assertEquals(2, keys.size());
        assertEquals(TestEnv.RECEIPT_KEY.publicKey().hex(), keys.get(0).get("publicKey").asText());
        assertEquals("current", keys.get(0).get("status").asText());
        assertEquals("2026-06-01T00:00:00Z", keys.get(0).get("validFrom").asText());
        assertFalse(keys.get(0).has("validTo"));
        assertEquals(RETIRED.publicKey().hex(), keys.get(1).get("publicKey").asText());
        assertEquals(ReceiptSignatures.keyId(RETIRED.publicKey()), keys.get(1).get("keyId").asText());
        assertEquals("retired", keys.get(1).get("status").asText());
        assertEquals("2026-06-01T00:00:00Z", keys.get(1).get("validTo").asText());
    }

    @Test
    void receipt_badIdUnknownJobAndAJobFromBeforeReceipts_getStableCodes() {
        ApiResponse bad = send(ApiRequest.get("/v1/jobs/not-a-ulid/receipt"));
        assertEquals(400, bad.status());
        assertEquals("JOB_ID_INVALID", bad.code());
        assertTrue(bad.contentType().startsWith("application/problem+json"), bad.toString());
        ApiResponse unknown = send(ApiRequest.get("/v1/jobs/01M8XGME9QZR0PP4VTDMX4SJX9/receipt"));
        assertEquals(404, unknown.status());
        assertEquals("JOB_NOT_FOUND", unknown.code());

        KeyPair key = registered();
        String jobId = send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).json().get("jobId").asText();
        env.execute("UPDATE publish_jobs SET envelope = NULL, envelope_sha256 = NULL WHERE job_id = ?", jobId);
        ApiResponse old = send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt"));
        assertEquals(409, old.status(), old.toString());
        assertEquals("RECEIPT_UNAVAILABLE", old.code());
    }

    /**
     * V42: the body is stored only when it is not the canonical JSON of the row's own columns; the receipt gives back
     * the accepted bytes either way, for record and anchor mode and for payloads with characters JSON must escape.
     */
    @Test
    void receipt_givesBackTheExactBody_whetherStoredOrRebuiltFromTheRowsColumns() throws Exception {
        KeyPair key = registered();
        ObjectNode tricky = LambdaTransport.JSON.createObjectNode();
        tricky.put("title", "quote \" backslash \\ slash / tab \t newline \n é ü 中文 😀 \u2028 </script>");
        Envelope plain = Envelopes.publish(key);
        Envelope escaped = Envelopes.signRaw(
                Envelopes.publishPayload(tricky, Envelopes.nonce(), Instant.now(), "rec-\"1\""), key);
        Envelope anchored = Envelopes.publish(key);
        Envelope spaced = Envelopes.publish(key);
        String anchorBody = "{\"mode\":\"anchor\"," + Envelopes.body(anchored).substring(1);
        String spacedBody = "{ " + Envelopes.body(spaced).substring(1);
        // the CLI and the web app send the canonical form
        Map<String, Boolean> storedByBody = new LinkedHashMap<>();
        storedByBody.put(Envelopes.body(plain), false);
        storedByBody.put(Envelopes.body(escaped), false);
        storedByBody.put(anchorBody, false);
        storedByBody.put(spacedBody, true);
        for (Map.Entry<String, Boolean> c : storedByBody.entrySet()) {
            String body = c.getKey();
            ApiResponse published = send(ApiRequest.postJson("/v1/publish", body));
            assertEquals(202, published.status(), published.toString());
            String jobId = published.json().get("jobId").asText();
            assertEquals(c.getValue(), env.count("SELECT count(*) FROM publish_jobs WHERE job_id = ? AND envelope IS NOT NULL", jobId) == 1,
                    "body stored only when not canonical: " + body);
            assertEquals(sha256(body), env.string("SELECT envelope_sha256 FROM publish_jobs WHERE job_id = ?", jobId));
            JsonNode receipt = send(ApiRequest.get("/v1/jobs/" + jobId + "/receipt")).json();
            String returned = new String(Base64.getDecoder().decode(receipt.get("envelope").asText()), StandardCharsets.UTF_8);
            assertEquals(body, returned, "the accepted bytes come back");
            assertEquals(sha256(returned), receipt.get("acceptance").get("statement").get("envelopeSha256").asText());
        }
    }
}
