package io.raregen.broadcaster.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.record.RecordScript;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs transactions through the official BSV TypeScript SDK ({@code broadcaster/src/test/js/check-published.mjs};
 * @bsv/sdk pinned in its {@code package-lock.json} and installed by the build's {@code npm ci}). The SDK shares no
 * code with ours: it parses each transaction, rebuilds it from the parsed fields, and runs every input through its
 * script interpreter with {@link #FLAGS} (or an entry's own {@code flags}). Used by the broadcaster's check of its
 * published transactions and, through this module's test-jar, by the CLI's full-pipeline test.
 */
public final class SdkCheck {
    /** The node's standard policy flags after Genesis; without SIGHASH_FORKID the SDK accepts 0x01 signatures. */
    public static final String FLAGS =
            "STRICTENC,DERSIG,LOW_S,SIGHASH_FORKID,NULLDUMMY,SIGPUSHONLY,CLEANSTACK,MINIMALDATA,UTXO_AFTER_GENESIS";
    public static final String SDK_VERSION = "2.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final Path jsDir;
    private final ArrayNode transactions = JSON.createArrayNode();

    /** {@code defaultJsDir}: where check-published.mjs lies seen from the running module; {@code -Draregen.js.dir} overrides. */
    public SdkCheck(String defaultJsDir) {
        this.jsDir = Path.of(System.getProperty("raregen.js.dir", defaultJsDir));
    }

    /** Adds one transaction; {@code prevouts} maps {@code txid:vout} to {@code {satoshis, lockingScriptHex}}. Returns its entry. */
    public ObjectNode add(String name, byte[] raw, ObjectNode prevouts) {
        ObjectNode t = transactions.addObject();
        t.put("name", name);
        t.put("rawHex", HEX.formatHex(raw));
        t.set("prevouts", prevouts);
        return t;
    }

    /** Runs node once over everything added; returns the per-transaction results in the order added. */
    public JsonNode run(Path workDir) throws Exception {
        ObjectNode input = JSON.createObjectNode();
        input.put("flags", FLAGS);
        input.set("transactions", transactions);
        Path file = workDir.resolve("published-transactions.json");
        JSON.writeValue(file.toFile(), input);
        assertTrue(Files.isDirectory(jsDir.resolve("node_modules/@bsv/sdk")),
                "@bsv/sdk not installed in " + jsDir.toAbsolutePath() + ": the build's npm ci (generate-test-resources) installs it");
        Process p = new ProcessBuilder("node", "check-published.mjs", file.toAbsolutePath().toString())
                .directory(jsDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "node check-published.mjs did not finish");
        assertEquals(0, p.exitValue(), () -> "node check-published.mjs failed: " + new String(out, StandardCharsets.UTF_8));
        JsonNode result = JSON.readTree(out);
        assertEquals(SDK_VERSION, result.path("sdkVersion").asText(), "the pinned SDK ran");
        assertEquals(FLAGS, result.path("flags").asText());
        assertEquals(transactions.size(), result.path("results").size());
        return result.path("results");
    }

    /** The pushes after OP_FALSE OP_RETURN that docs/PROTOCOL.md prescribes for this envelope, as hex. */
    public static List<String> expectedPushes(Envelope e) {
        return List.of(
                ascii(RecordScript.B_PREFIX),
                HEX.formatHex(e.signedPayload().getBytes(StandardCharsets.UTF_8)),
                ascii(RecordScript.MEDIA_TYPE),
                ascii(RecordScript.ENCODING),
                ascii(RecordScript.PIPE),
                ascii(RecordScript.PROTOCOL_PREFIX),
                ascii(RecordScript.VERSION),
                HEX.formatHex(Base64.getDecoder().decode(e.signature())),
                e.pubkey());
    }

    /** The pushes of the one OP_FALSE OP_RETURN output of a result, as the SDK parsed them; it must carry 0 sats. */
    public static List<String> recordPushes(JsonNode result) {
        List<String> pushes = null;
        for (JsonNode o : result.path("outputs")) {
            if (o.path("opFalseReturn").asBoolean()) {
                assertEquals(null, pushes, "one record output per transaction");
                assertEquals(0, o.path("satoshis").asLong(), "the record output carries no satoshis");
                assertTrue(o.path("pushesHex").isArray(), () -> "record is only pushes: " + o);
                pushes = new ArrayList<>();
                for (JsonNode h : o.path("pushesHex")) {
                    pushes.add(h.asText());
                }
            }
        }
        assertTrue(pushes != null, () -> "no OP_FALSE OP_RETURN output: " + result);
        return pushes;
    }

    private static String ascii(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }
}
