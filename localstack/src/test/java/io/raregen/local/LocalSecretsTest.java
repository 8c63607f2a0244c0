package io.raregen.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalSecretsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void loadOrCreate_generatesAnArcCallbackTokenOnce_keepsItPrivate_andNeverPrintsIt(@TempDir Path state) throws Exception {
        LocalSecrets first = LocalSecrets.loadOrCreate(state, json);
        String token = first.arcCallbackToken();
        assertTrue(token.matches("[0-9a-f]{48}"), token);
        assertNotEquals(first.adminToken(), token, "a token of its own, not the operator token");

        LocalSecrets again = LocalSecrets.loadOrCreate(state, json);
        assertEquals(token, again.arcCallbackToken(), "kept between runs");
        assertEquals(first.adminToken(), again.adminToken());

        Path file = state.resolve(LocalSecrets.FILE);
        assertEquals(token, json.readTree(file.toFile()).path("arcCallbackToken").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(first.toString().contains(token));
        assertFalse(first.toString().contains(first.adminToken()));
    }

    @Test
    void loadOrCreate_addsACallbackTokenToAStateDirectoryFromBeforeCallbacks_keepingTheKeys(@TempDir Path state) throws Exception {
        LocalSecrets original = LocalSecrets.loadOrCreate(state, json);
        Path file = state.resolve(LocalSecrets.FILE);
        ObjectNode old = (ObjectNode) json.readTree(file.toFile());
        old.remove("arcCallbackToken");
        Files.writeString(file, old.toString());

        LocalSecrets upgraded = LocalSecrets.loadOrCreate(state, json);

        assertTrue(upgraded.arcCallbackToken().matches("[0-9a-f]{48}"));
        assertEquals(original.poolKey().publicKey().hex(), upgraded.poolKey().publicKey().hex());
        assertEquals(original.fundingKey().publicKey().hex(), upgraded.fundingKey().publicKey().hex());
        assertEquals(original.adminToken(), upgraded.adminToken());
        JsonNode written = json.readTree(file.toFile());
        assertEquals(upgraded.arcCallbackToken(), written.path("arcCallbackToken").asText(), "persisted");
        assertEquals(upgraded.arcCallbackToken(), LocalSecrets.loadOrCreate(state, json).arcCallbackToken());
    }

    @Test
    void loadOrCreate_keepsOneReceiptKey_addsItToAnOlderStateDirectory_andNeverPrintsIt(@TempDir Path state) throws Exception {
        LocalSecrets first = LocalSecrets.loadOrCreate(state, json);
        Path file = state.resolve(LocalSecrets.FILE);
        String wif = json.readTree(file.toFile()).path("receiptWif").asText();
        assertEquals(first.receiptKey().publicKey().hex(), io.raregen.core.keys.KeyPair.fromWif(wif).publicKey().hex());
        assertEquals(first.receiptKey().publicKey(), LocalSecrets.loadOrCreate(state, json).receiptKey().publicKey(), "kept between runs");
        assertFalse(first.toString().contains(wif));
        assertFalse(first.toString().contains(first.receiptKey().privateKeyHex()));

        ObjectNode old = (ObjectNode) json.readTree(file.toFile());
        old.remove("receiptWif");
        Files.writeString(file, old.toString());
        LocalSecrets upgraded = LocalSecrets.loadOrCreate(state, json);
        assertEquals(first.poolKey().publicKey(), upgraded.poolKey().publicKey());
        assertEquals(first.arcCallbackToken(), upgraded.arcCallbackToken());
        assertEquals(upgraded.receiptKey().publicKey(), LocalSecrets.loadOrCreate(state, json).receiptKey().publicKey(), "persisted");
    }
}
