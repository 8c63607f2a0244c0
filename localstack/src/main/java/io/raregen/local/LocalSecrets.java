package io.raregen.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's own secrets, generated once and kept in {@code <stateDir>/secrets.json}
 * (mode 600): the pool key, the funding key and the operator token. Local and regtest only:
 * in AWS these come from Secrets Manager. {@link #toString()} never prints them.
 */
public final class LocalSecrets {
    static final String FILE = "secrets.json";

    private final KeyPair poolKey;
    private final KeyPair fundingKey;
    private final String adminToken;

    private LocalSecrets(KeyPair poolKey, KeyPair fundingKey, String adminToken) {
        this.poolKey = poolKey;
        this.fundingKey = fundingKey;
        this.adminToken = adminToken;
    }

    public static LocalSecrets loadOrCreate(Path stateDir, ObjectMapper json) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            JsonNode n = json.readTree(file.toFile());
            return new LocalSecrets(KeyPair.fromWif(n.path("poolWif").asText()), KeyPair.fromWif(n.path("fundingWif").asText()),
                    n.path("adminToken").asText());
        }
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        LocalSecrets s = new LocalSecrets(KeyPair.generate(), KeyPair.generate(), HexFormat.of().formatHex(token));
        ObjectNode n = json.createObjectNode();
        n.put("note", "local stack only (regtest); never use these keys with real money");
        n.put("poolWif", s.poolKey.toWif(Network.REGTEST));
        n.put("fundingWif", s.fundingKey.toWif(Network.REGTEST));
        n.put("adminToken", s.adminToken);
        Files.createDirectories(stateDir);
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return s;
    }

    public KeyPair poolKey() {
        return poolKey;
    }

    public KeyPair fundingKey() {
        return fundingKey;
    }

    public String adminToken() {
        return adminToken;
    }

    public String fundingAddress() {
        return fundingKey.address(Network.REGTEST);
    }

    @Override
    public String toString() {
        return "LocalSecrets[pool=" + poolKey.publicKey().hex() + ", funding=" + fundingKey.publicKey().hex() + "]";
    }
}
