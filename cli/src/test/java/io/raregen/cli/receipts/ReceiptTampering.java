package io.raregen.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** One-byte changes to a mined receipt, each with the check that must name it. */
final class ReceiptTampering {

    /** Runs the verifier on a changed receipt and asserts it fails at {@code expectedCheck}. */
    interface Verify {
        void check(JsonNode changed, String expectedCheck) throws Exception;
    }

    private ReceiptTampering() {
    }

    /** Each change with the check it must fail at (several when the change's place depends on the block's shape). */
    static Map<String, Map.Entry<UnaryOperator<JsonNode>, Set<String>>> changes(JsonNode receipt) {
        Map<String, Map.Entry<UnaryOperator<JsonNode>, Set<String>>> m = new LinkedHashMap<>();
        m.put("acceptedAt", Map.entry(r -> edit(r, "acceptance", n -> {
            ObjectNode st = (ObjectNode) n.get("statement");
            String at = st.get("acceptedAt").asText();
            st.put("acceptedAt", at.substring(0, 3) + (at.charAt(3) == '9' ? '8' : (char) (at.charAt(3) + 1)) + at.substring(4));
        }), Set.of("service signature")));
        m.put("envelopeSha256", Map.entry(r -> edit(r, "acceptance", n -> {
            ObjectNode st = (ObjectNode) n.get("statement");
            st.put("envelopeSha256", ReceiptEndToEndTest.flipHexByte(st.get("envelopeSha256").asText(), 10));
        }), Set.of("service signature")));
        m.put("service signature", Map.entry(r -> edit(r, "acceptance", n -> {
            byte[] sig = Base64.getDecoder().decode(n.get("signature").asText());
            sig[sig.length - 3] ^= 0x01;
            n.put("signature", Base64.getEncoder().encodeToString(sig));
        }), Set.of("service signature")));
        m.put("jobId", Map.entry(r -> edit(r, null, n -> {
            String id = n.get("jobId").asText();
            n.put("jobId", id.substring(0, 25) + (id.charAt(25) == '0' ? '1' : '0'));
        }), Set.of("service signature")));
        m.put("envelope byte", Map.entry(r -> edit(r, null, n -> {
            byte[] env = Base64.getDecoder().decode(n.get("envelope").asText());
            int at = new String(env, StandardCharsets.ISO_8859_1).indexOf("title") + 2;
            env[at] ^= 0x01;
            n.put("envelope", Base64.getEncoder().encodeToString(env));
        }), Set.of("envelope hash")));
        m.put("raw transaction byte", Map.entry(r -> edit(r, "transaction", n -> {
            String raw = n.get("rawTx").asText();
            n.put("rawTx", ReceiptEndToEndTest.flipHexByte(raw, raw.length() / 2));
        }), Set.of("BEEF")));
        m.put("txid", Map.entry(r -> edit(r, "transaction", n ->
                n.put("txid", ReceiptEndToEndTest.flipHexByte(n.get("txid").asText(), 0))), Set.of("txid")));
        int txHexLen = receipt.path("transaction").path("rawTx").asText().length();
        m.put("BEEF transaction byte", Map.entry(r -> edit(r, "proof", n -> {
            String beef = n.get("beef").asText();
            // BEEF ends with the transaction, its has-BUMP flag and BUMP index (2 bytes)
            n.put("beef", ReceiptEndToEndTest.flipHexByte(beef, beef.length() - 4 - txHexLen / 2));
        }), Set.of("BEEF")));
        m.put("BEEF merkle path byte", Map.entry(r -> edit(r, "proof", n -> {
            String beef = n.get("beef").asText();
            // the last byte of the BUMP: just before the transaction count (1 byte) and the transaction
            n.put("beef", ReceiptEndToEndTest.flipHexByte(beef, beef.length() - 4 - txHexLen - 2 - 2));
        }), Set.of("merkle path", "block header")));
        m.put("block header byte", Map.entry(r -> edit(r, "proof", n ->
                n.put("blockHeader", ReceiptEndToEndTest.flipHexByte(n.get("blockHeader").asText(), 80))), Set.of("receipt header")));
        m.put("block hash", Map.entry(r -> edit(r, "proof", n ->
                n.put("blockHash", ReceiptEndToEndTest.flipHexByte(n.get("blockHash").asText(), 62))), Set.of("receipt header")));
        m.put("block height", Map.entry(r -> edit(r, "proof", n ->
                n.put("blockHeight", n.get("blockHeight").asLong() + 1)), Set.of("merkle path")));
        return m;
    }

    static void assertEachFails(JsonNode receipt, Path tmp, Verify verify) throws Exception {
        for (Map.Entry<String, Map.Entry<UnaryOperator<JsonNode>, Set<String>>> c : changes(receipt).entrySet()) {
            JsonNode changed = c.getValue().getKey().apply(receipt);
            assertNotEquals(receipt, changed, c.getKey());
            Exception last = null;
            boolean ok = false;
            for (String expected : c.getValue().getValue()) {
                try {
                    verify.check(changed, expected);
                    ok = true;
                    break;
                } catch (AssertionError | Exception e) {
                    last = e instanceof Exception ex ? ex : new Exception(e);
                }
            }
            if (!ok) {
                throw new AssertionError("change '" + c.getKey() + "' did not fail as expected", last);
            }
        }
    }

    private static JsonNode edit(JsonNode receipt, String field, java.util.function.Consumer<ObjectNode> change) {
        JsonNode copy = receipt.deepCopy();
        change.accept((ObjectNode) (field == null ? copy : copy.get(field)));
        return copy;
    }
}
