package io.raregen.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import io.raregen.cli.verify.BeefReader;
import io.raregen.cli.verify.Check;
import io.raregen.cli.verify.HeaderSource;
import io.raregen.cli.verify.ReceiptVerifier;
import io.raregen.cli.verify.ServiceKeySet;
import io.raregen.cli.verify.VerificationReport;
import io.raregen.core.proof.Beef;
import io.raregen.core.proof.MerklePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed receipt vector (src/test/resources/receipts: a mined receipt from a real local-stack run, its BEEF in
 * hex, and the service keys published then) checked offline: by {@code raregen verify}'s verifier, by the server's BEEF
 * writer against the client's reader, and by {@code @bsv/sdk}; every one-byte change fails at the check that names it.
 */
class ReceiptVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String resource(String name) throws Exception {
        try (InputStream in = ReceiptVectorsTest.class.getResourceAsStream("/receipts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static JsonNode receipt() throws Exception {
        return Json.MAPPER.readTree(resource("receipt-mined.json"));
    }

    private static ServiceKeySet keys() throws Exception {
        return ServiceKeySet.fromJson("service-keys.json", Json.MAPPER.readTree(resource("service-keys.json")));
    }

    private static VerificationReport verify(JsonNode r) throws Exception {
        return new ReceiptVerifier(HeaderSource.NONE, keys()).verify(r, null).report();
    }

    @Test
    void vector_passesEveryCheck_withTheReceiptsOwnHeader() throws Exception {
        VerificationReport report = verify(receipt());
        assertTrue(report.passed(), report.toString());
        for (Check c : report.checks()) {
            assertEquals(Check.Outcome.PASS, c.outcome(), c.toString());
        }
        assertEquals(receipt().path("transaction").path("txid").asText(), report.txid());
    }

    @Test
    void expectedBeefHex_isWhatTheServersWriterMakesOfTheClientsReading() throws Exception {
        String expected = resource("receipt-mined.beef.hex");
        JsonNode r = receipt();
        assertEquals(expected, r.path("proof").path("beef").asText());
        List<BeefReader.Tx> read = BeefReader.parse(HEX.parseHex(expected));
        assertEquals(1, read.size());
        assertEquals(r.path("transaction").path("rawTx").asText(), HEX.formatHex(read.get(0).raw()));
        byte[] rebuilt = Beef.of(read.get(0).raw(), MerklePath.parse(read.get(0).bump()));
        assertEquals(expected, HEX.formatHex(rebuilt));
    }

    @Test
    void vector_verifiesWithBsvSdk_andItsTamperedFormsDoNot(@TempDir Path tmp) throws Exception {
        JsonNode proof = receipt().path("proof");
        String beef = proof.path("beef").asText();
        String header = proof.path("blockHeader").asText();
        long height = proof.path("blockHeight").asLong();
        Map<String, BeefCheck.Verdict> v = new BeefCheck()
                .add("vector", beef, header, height)
                .add("tx byte", ReceiptEndToEndTest.flipHexByte(beef, beef.length() - 60), header, height)
                .add("header byte", beef, ReceiptEndToEndTest.flipHexByte(header, 80), height)
                .add("wrong height", beef, header, height + 1)
                .run(tmp);
        assertTrue(v.get("vector").valid(), v.toString());
        assertEquals(receipt().path("transaction").path("txid").asText(), v.get("vector").txid());
        assertFalse(v.get("tx byte").valid(), v.toString());
        assertFalse(v.get("header byte").valid(), v.toString());
        assertFalse(v.get("wrong height").valid(), v.toString());
    }

    @Test
    void everyOneByteChange_failsAtTheCheckThatNamesIt(@TempDir Path tmp) throws Exception {
        ReceiptTampering.assertEachFails(receipt(), tmp, (changed, expected) -> {
            VerificationReport report = verify(changed);
            assertFalse(report.passed(), report.toString());
            assertEquals(expected, report.firstFailure().orElseThrow().name(), report.toString());
        });
    }

    @Test
    void aKeyThatIsNotPublished_orWasNotValidThen_fails() throws Exception {
        JsonNode r = receipt();
        ServiceKeySet other = ServiceKeySet.single("02" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        VerificationReport unknown = new ReceiptVerifier(HeaderSource.NONE, other).verify(r, null).report();
        assertEquals(ReceiptVerifier.SERVICE_KEY, unknown.firstFailure().orElseThrow().name());

        ObjectNode retired = (ObjectNode) Json.MAPPER.readTree(resource("service-keys.json"));
        ((ObjectNode) retired.path("keys").get(0)).put("validFrom", "2026-01-01T00:00:00Z").put("validTo", "2026-06-01T00:00:00Z");
        VerificationReport expired = new ReceiptVerifier(HeaderSource.NONE, ServiceKeySet.fromJson("retired", retired)).verify(r, null).report();
        assertEquals(ReceiptVerifier.SERVICE_KEY, expired.firstFailure().orElseThrow().name());
        assertTrue(expired.firstFailure().get().detail().contains("was valid"), expired.toString());

        VerificationReport noKeys = new ReceiptVerifier(HeaderSource.NONE, null).verify(r, null).report();
        assertTrue(noKeys.passed());
        assertEquals(Check.Outcome.SKIP, noKeys.check(ReceiptVerifier.SERVICE_KEY).orElseThrow().outcome());
    }

    @Test
    void earlierStagesOfTheSameReceipt_verifyWithWhatTheyHold() throws Exception {
        ObjectNode sent = (ObjectNode) receipt().deepCopy();
        sent.remove("proof");
        sent.put("status", "sent");
        VerificationReport s = verify(sent);
        assertTrue(s.passed(), s.toString());
        assertEquals(Check.Outcome.SKIP, s.check("merkle path").orElseThrow().outcome());

        ObjectNode queued = sent.deepCopy();
        queued.remove("transaction");
        queued.put("status", "queued");
        VerificationReport q = verify(queued);
        assertTrue(q.passed(), q.toString());
        assertEquals(Check.Outcome.PASS, q.check("client signature").orElseThrow().outcome());
        assertEquals(null, q.txid());
    }
}
