package io.raregen.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.LocalStackProcess;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.raregen.cli.support.JsonHttp.get;
import static io.raregen.cli.support.JsonHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receipts end to end on {@code ./raregen local} (child processes: functions, broadcaster, local chain): the 202 carries
 * a receipt signed over the exact body; the receipt upgrades to a BEEF with the block header once mined; that file
 * passes {@code raregen verify} offline and {@code @bsv/sdk}'s {@code Transaction.fromBEEF(…).verify(chainTracker)}
 * against the chain's own header; one changed byte fails and names the place; after a reorg on the chain the
 * broadcaster moves the job back to sent and the receipt upgrades again to the new block.
 */
class ReceiptEndToEndTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void receipt_fromThe202ToTheBeef_verifiesWithRaregenAndBsvSdk_failsWhenTampered_andFollowsAReorg(@TempDir Path tmp)
            throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Options.defaults(tmp.resolve("state"),
                "receipts-e2e.log"))) {
            String api = stack.apiUrl();
            String chain = stack.chainUrl();
            String headers = chain + "/admin/blocks/{hash}";

            // GIVEN a registered client key
            KeyPair key = KeyPair.generate();
            Envelope reg = EnvelopeSigner.sign(Payloads.register(key.publicKey(), "reg-" + System.nanoTime(), Instant.now()), key);
            assertEquals(201, post(api + "/v1/identities", reg.toJson()).statusCode());

            // WHEN it publishes a record (a body laid out its own way: the receipt covers the bytes sent)
            ObjectNode record = Json.MAPPER.createObjectNode().put("title", "a record with a receipt");
            Envelope e = EnvelopeSigner.sign(Payloads.publish(record, "pub-" + System.nanoTime(), Instant.now(), null), key);
            String body = "{ " + e.toJson().substring(1);
            HttpResponse<String> accepted = post(api + "/v1/publish", body);
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode answer = Json.MAPPER.readTree(accepted.body());
            String jobId = answer.path("jobId").asText();
            JsonNode signed = answer.path("receipt");
            assertEquals(sha256(body), signed.path("statement").path("envelopeSha256").asText());

            // THEN the receipt upgrades to a BEEF with the block header once mined
            JsonNode receipt = awaitReceipt(api, jobId, r -> r.path("proof").has("blockHeader"), Duration.ofSeconds(120), stack);
            assertEquals("mined", receipt.path("status").asText());
            assertEquals(signed, receipt.path("acceptance"), "the 202's receipt is the one the file keeps");
            Path file = tmp.resolve("receipt.json");
            Files.writeString(file, Json.pretty(receipt));
            Path keys = tmp.resolve("service-keys.json");
            Files.writeString(keys, get(api + "/v1/service-keys").body());
            saveVector(receipt, keys);

            // raregen verify: offline, with the published keys and the chain's headers
            InProcessCli cli = new InProcessCli(tmp.resolve("home"), api);
            JsonNode report = Json.MAPPER.readTree(cli.ok("verify", file.toString(), "--service-keys", keys.toString(),
                    "--headers", headers, "--json"));
            assertEquals("PASS", report.path("result").asText(), report.toString());
            for (String must : List.of("service signature", "service key", "envelope hash", "BEEF", "receipt header",
                    "merkle path", "block header", "client signature", "inputs signed")) {
                assertTrue(report.path("checks").findValues("check").stream().anyMatch(c -> c.asText().equals(must)), must);
            }
            for (JsonNode c : report.path("checks")) {
                assertEquals("PASS", c.path("outcome").asText(), c.toString());
            }

            // the same, fetched and saved by the CLI, with the keys fetched from the API
            Path saved = tmp.resolve("saved-receipt.json");
            JsonNode fetched = Json.MAPPER.readTree(cli.ok("verify", jobId, "--receipt", "--save", saved.toString(),
                    "--service-keys", api + "/v1/service-keys", "--headers", headers, "--json"));
            assertEquals("PASS", fetched.path("result").asText(), fetched.toString());
            assertEquals(receipt.path("proof"), Json.MAPPER.readTree(saved.toFile()).path("proof"));

            // @bsv/sdk: fromBEEF + verify against the chain's own header for that block
            JsonNode proof = receipt.path("proof");
            String chainHeader = Json.MAPPER.readTree(get(chain + "/admin/blocks/" + proof.path("blockHash").asText()).body())
                    .path("header").asText();
            assertEquals(chainHeader, proof.path("blockHeader").asText());
            String otherHeader = Json.MAPPER.readTree(get(chain + "/admin/blocks/0").body()).path("header").asText();
            String beef = proof.path("beef").asText();
            long height = proof.path("blockHeight").asLong();
            Map<String, BeefCheck.Verdict> sdk = new BeefCheck()
                    .add("receipt", beef, chainHeader, height)
                    .add("one tx byte changed", flipHexByte(beef, beef.length() / 2 - 20), chainHeader, height)
                    .add("another block's header", beef, otherHeader, height)
                    .run(tmp);
            assertTrue(sdk.get("receipt").valid(), sdk.toString());
            assertEquals(receipt.path("transaction").path("txid").asText(), sdk.get("receipt").txid());
            assertFalse(sdk.get("one tx byte changed").valid(), sdk.toString());
            assertFalse(sdk.get("another block's header").valid(), sdk.toString());

            // one changed byte fails, and the report names the place
            ReceiptTampering.assertEachFails(receipt, tmp, (changed, expectedCheck) -> {
                Path t = tmp.resolve("tampered.json");
                Files.writeString(t, changed.toString());
                InProcessCli.Result r = cli.run("verify", t.toString(), "--service-keys", keys.toString(), "--headers", headers);
                assertEquals(1, r.code(), r.out());
                assertTrue(r.out().contains("RESULT: FAIL — " + expectedCheck + ":"), () -> expectedCheck + " expected:\n" + r.out());
            });

            // AND after a reorg of the job's block the job goes back to sent and on to the new block
            String oldBlock = proof.path("blockHash").asText();
            // (from the block's height: a count of blocks read from the tip first would miss the job's block when one
            // more is mined, every second here, between the read and the reorg)
            HttpResponse<String> reorg = post(chain + "/admin/reorg?from=" + height, "");
            assertEquals(200, reorg.statusCode(), reorg.body());
            JsonNode again = awaitReceipt(api, jobId, r -> r.path("proof").has("blockHeader")
                    && !r.path("proof").path("blockHash").asText().equals(oldBlock), Duration.ofSeconds(90), stack);
            assertNotEquals(oldBlock, again.path("proof").path("blockHash").asText());
            assertEquals(signed, again.path("acceptance"));
            Files.writeString(file, again.toString());
            JsonNode report2 = Json.MAPPER.readTree(cli.ok("verify", file.toString(), "--service-keys", keys.toString(),
                    "--headers", headers, "--json"));
            assertEquals("PASS", report2.path("result").asText(), report2.toString());
            String newHeader = Json.MAPPER.readTree(get(chain + "/admin/blocks/" + again.path("proof").path("blockHash").asText())
                    .body()).path("header").asText();
            assertTrue(new BeefCheck().add("after reorg", again.path("proof").path("beef").asText(), newHeader,
                    again.path("proof").path("blockHeight").asLong()).run(tmp).get("after reorg").valid());
            // the old receipt no longer checks against the chain: its block is gone
            InProcessCli.Result stale = cli.run("verify", tmp.resolve("receipt-before-reorg.json").toString(), "--service-keys",
                    keys.toString(), "--headers", headers);
            assertEquals(1, stale.code(), stale.out());
            try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT reason FROM publish_job_transitions WHERE job_id = ? AND from_status = 'mined' AND to_status = 'sent'")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the reorg is in the audit trail");
                    assertTrue(rs.getString(1).startsWith("reorg: block " + oldBlock), rs.getString(1));
                }
            }
        }
    }

    /** Keeps the mined receipt as it came (target/receipt-vector, for the committed vectors) and a copy for the stale check. */
    private static void saveVector(JsonNode receipt, Path keys) throws Exception {
        Path dir = Path.of("target", "receipt-vector");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("receipt-mined.json"), Json.pretty(receipt) + "\n");
        Files.writeString(dir.resolve("receipt-mined.beef.hex"), receipt.path("proof").path("beef").asText() + "\n");
        Files.copy(keys, dir.resolve("service-keys.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(keys.resolveSibling("receipt-before-reorg.json"), receipt.toString());
    }

    private JsonNode awaitReceipt(String api, String jobId, Predicate<JsonNode> done, Duration timeout, LocalStackProcess stack)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(api + "/v1/jobs/" + jobId + "/receipt");
            assertEquals(200, r.statusCode(), r.body());
            last = Json.MAPPER.readTree(r.body());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("receipt did not get there in " + timeout + ": " + last + "\n" + stack.tail());
    }


    static String sha256(String s) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hex text with the byte starting at hex position {@code pos} (rounded down to a byte) inverted in its low bit. */
    static String flipHexByte(String hex, int pos) {
        int at = pos - pos % 2;
        int b = Integer.parseInt(hex.substring(at, at + 2), 16) ^ 0x01;
        return hex.substring(0, at) + String.format("%02x", b) + hex.substring(at + 2);
    }
}
