package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The receipt keys a service publishes ({@code GET /v1/service-keys}, or a saved copy), or one key the
 * user gives. {@code source} names where they came from for the report.
 */
public record ServiceKeySet(String source, List<Key> keys) {

    /** A published key; null validity bounds are open. */
    public record Key(String keyId, String publicKey, Instant validFrom, Instant validTo) {
    }

    public static ServiceKeySet single(String publicKeyHex) {
        return new ServiceKeySet("--service-key", List.of(new Key(null, publicKeyHex.toLowerCase(), null, null)));
    }

    public static ServiceKeySet fromJson(String source, JsonNode n) {
        List<Key> keys = new ArrayList<>();
        for (JsonNode k : n.path("keys")) {
            keys.add(new Key(Json.text(k, "keyId"), lower(Json.text(k, "publicKey")), instant(Json.text(k, "validFrom")),
                    instant(Json.text(k, "validTo"))));
        }
        return new ServiceKeySet(source, List.copyOf(keys));
    }

    /** The key with this public key (and key id, when both say one). */
    public Optional<Key> find(String publicKeyHex, String keyId) {
        return keys.stream().filter(k -> k.publicKey() != null && k.publicKey().equalsIgnoreCase(publicKeyHex))
                .filter(k -> k.keyId() == null || keyId == null || k.keyId().equals(keyId)).findFirst();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase();
    }
}
