package io.raregen.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * A local log of the jobs this client submitted ({@code <home>/jobs.jsonl}), so that
 * {@code raregen verify TXID} can find the job of a txid without a server-side search.
 */
public final class Journal {
    public static final String FILE_NAME = "jobs.jsonl";
    private final Path file;

    public Journal(Path home) {
        this.file = home.resolve(FILE_NAME);
    }

    public synchronized void record(String jobId, String txid, String source) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", jobId);
        if (txid != null) {
            n.put("txid", txid);
        }
        if (source != null) {
            n.put("source", source);
        }
        n.put("at", Instant.now().toString());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, n + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the journal is a convenience; a read-only home must not fail a publish
        }
    }

    /** The job that published {@code txid}, if this client saw it. */
    public Optional<String> jobForTxid(String txid) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            String found = null;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.MAPPER.readTree(line);
                if (txid.equalsIgnoreCase(n.path("txid").asText())) {
                    found = n.path("jobId").asText();
                }
            }
            return Optional.ofNullable(found);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
