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
 * (mode 600): the pool key, the funding key, the operator token, the ARC callback token (the
 * broadcaster sends it as {@code X-CallbackToken}, the functions app checks it on
 * {@code POST /v1/callbacks/arc}) the receipt key (the functions app signs receipts with it) and the sign-in code key (the functions app
 * hashes sign-in codes with it). Local and regtest only: in AWS these come from Secrets Manager.
 * {@link #toString()} never prints them.
 */
public final class LocalSecrets {
    static final String FILE = "secrets.json";

    private final KeyPair poolKey;
    private final KeyPair fundingKey;
    private final String adminToken;
    private final String arcCallbackToken;
    private final KeyPair receiptKey;
    private final String codeKey;

    private LocalSecrets(KeyPair poolKey, KeyPair fundingKey, String adminToken, String arcCallbackToken, KeyPair receiptKey,
                         String codeKey) {
        this.codeKey = codeKey;
        this.poolKey = poolKey;
        this.fundingKey = fundingKey;
        this.adminToken = adminToken;
        this.arcCallbackToken = arcCallbackToken;
        this.receiptKey = receiptKey;
    }

    public static LocalSecrets loadOrCreate(Path stateDir, ObjectMapper json) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            JsonNode n = json.readTree(file.toFile());
            String callbackToken = n.path("arcCallbackToken").asText("");
            String receiptWif = n.path("receiptWif").asText("");
            String codeKey = n.path("codeKey").asText("");
            LocalSecrets s = new LocalSecrets(KeyPair.fromWif(n.path("poolWif").asText()),
                    KeyPair.fromWif(n.path("fundingWif").asText()), n.path("adminToken").asText(),
                    callbackToken.isEmpty() ? randomToken() : callbackToken,
                    receiptWif.isEmpty() ? KeyPair.generate() : KeyPair.fromWif(receiptWif),
                    codeKey.isEmpty() ? randomHex(32) : codeKey);
            if (callbackToken.isEmpty() || receiptWif.isEmpty() || codeKey.isEmpty()) {
                // a state directory from before callbacks, receipts or accounts were wired: add what is missing, keep the rest
                s.write(file, json);
            }
            return s;
        }
        LocalSecrets s = new LocalSecrets(KeyPair.generate(), KeyPair.generate(), randomToken(), randomToken(), KeyPair.generate(),
                randomHex(32));
        Files.createDirectories(stateDir);
        s.write(file, json);
        return s;
    }

    private void write(Path file, ObjectMapper json) throws IOException {
        ObjectNode n = json.createObjectNode();
        n.put("note", "local stack only (regtest); never use these keys with real money");
        n.put("poolWif", poolKey.toWif(Network.REGTEST));
        n.put("fundingWif", fundingKey.toWif(Network.REGTEST));
        n.put("adminToken", adminToken);
        n.put("arcCallbackToken", arcCallbackToken);
        n.put("receiptWif", receiptKey.toWif(Network.REGTEST));
        n.put("codeKey", codeKey);
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private static String randomToken() {
        return randomHex(24);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
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

    /** The token ARC sends back as {@code Authorization: Bearer} on status callbacks. */
    public String arcCallbackToken() {
        return arcCallbackToken;
    }

    /** The key the functions app signs receipts with. */
    public KeyPair receiptKey() {
        return receiptKey;
    }

    /** The key sign-in codes are hashed with (64 hex characters). */
    public String codeKey() {
        return codeKey;
    }

    public String fundingAddress() {
        return fundingKey.address(Network.REGTEST);
    }

    @Override
    public String toString() {
        return "LocalSecrets[pool=" + poolKey.publicKey().hex() + ", funding=" + fundingKey.publicKey().hex()
                + ", receipts=" + receiptKey.publicKey().hex() + "]";
    }
}
