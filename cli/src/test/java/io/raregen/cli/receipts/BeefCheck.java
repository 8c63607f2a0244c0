package io.raregen.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs receipt BEEFs through the official {@code @bsv/sdk} ({@code broadcaster/src/test/js/verify-beef.mjs}, installed by
 * this module's build): {@code Transaction.fromBEEF(beef).verify(chainTracker)} with a chain tracker that accepts only the
 * merkle root of the header the test gives, at its height.
 */
final class BeefCheck {
    static final String SDK_VERSION = "2.1.0";
    private final Path jsDir = Path.of(System.getProperty("raregen.js.dir", "../broadcaster/src/test/js"));
    private final ArrayNode cases = Json.MAPPER.createArrayNode();

    /** The SDK's verdict on one BEEF. */
    record Verdict(boolean valid, String txid, String error) {
    }

    BeefCheck add(String name, String beefHex, String headerHex, long height) {
        ObjectNode c = cases.addObject();
        c.put("name", name).put("beefHex", beefHex).put("headerHex", headerHex).put("blockHeight", height);
        return this;
    }

    Map<String, Verdict> run(Path workDir) throws Exception {
        assertTrue(Files.isDirectory(jsDir.resolve("node_modules/@bsv/sdk")),
                "@bsv/sdk not installed in " + jsDir.toAbsolutePath() + ": the build's generate-test-resources installs it");
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.set("cases", cases);
        Path file = workDir.resolve("beef-cases.json");
        Files.writeString(file, input.toString());
        Process p = new ProcessBuilder("node", "verify-beef.mjs", file.toAbsolutePath().toString())
                .directory(jsDir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node verify-beef.mjs did not finish");
        assertEquals(0, p.exitValue(), () -> new String(out, StandardCharsets.UTF_8));
        JsonNode result = Json.MAPPER.readTree(out);
        assertEquals(SDK_VERSION, result.path("sdkVersion").asText(), "the pinned SDK ran");
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (JsonNode r : result.path("results")) {
            verdicts.put(r.path("name").asText(), new Verdict(r.path("valid").asBoolean(), r.path("txid").asText(null),
                    r.path("error").asText(null)));
        }
        assertEquals(cases.size(), verdicts.size());
        return verdicts;
    }
}
