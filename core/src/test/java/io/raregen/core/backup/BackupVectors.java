package io.raregen.core.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The committed vectors (src/test/resources/backup/vectors.json), made by the npm package. */
final class BackupVectors {
    static final ObjectMapper JSON = new ObjectMapper();

    private BackupVectors() {
    }

    static JsonNode root() {
        try (InputStream in = BackupVectors.class.getResourceAsStream("/backup/vectors.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> vectors() {
        List<JsonNode> out = new ArrayList<>();
        root().path("vectors").forEach(out::add);
        return out;
    }
}
