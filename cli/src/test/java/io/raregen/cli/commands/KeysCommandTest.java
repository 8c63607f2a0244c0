package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.TestEnv;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysCommandTest {

    @Test
    void keysNew_thenShowAndExport_roundTripThroughTheCommandLine(@TempDir Path home) throws Exception {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());
        t.vars.put("RAREGEN_PASSPHRASE", "a long passphrase");

        assertEquals(0, t.run("keys", "new", "--kdf-iterations", "1000", "--json"), t.err.toString());
        JsonNode created = Json.MAPPER.readTree(t.out.toString());

        assertEquals(0, t.run("keys", "show", "--json"));
        JsonNode shown = Json.MAPPER.readTree(t.out.toString());
        assertEquals(created.get("identity").asText(), shown.at("/keys/identity/pubkey").asText());
        assertTrue(shown.at("/keys/tokens/address").asText().startsWith("1"));

        assertEquals(0, t.run("keys", "export", "--json"));
        JsonNode exported = Json.MAPPER.readTree(t.out.toString());
        assertEquals(created.get("financial").asText(), exported.at("/financial/pubkey").asText());
        assertTrue(t.err.toString().contains("private keys"));
    }

    @Test
    void keysExport_withAWrongPassphrase_exitsWithTheKeysCode(@TempDir Path home) {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());
        t.vars.put("RAREGEN_PASSPHRASE", "a long passphrase");
        assertEquals(0, t.run("keys", "new", "--kdf-iterations", "1000"));

        t.vars.put("RAREGEN_PASSPHRASE", "another passphrase");
        int code = t.run("keys", "export");

        assertEquals(ExitCodes.KEYS, code);
        assertTrue(t.err.toString().contains("WRONG_PASSPHRASE"), t.err.toString());
    }

    @Test
    void keysNew_withoutATerminalOrPassphraseVariable_explainsWhatToSet(@TempDir Path home) {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());

        assertEquals(ExitCodes.KEYS, t.run("keys", "new"));
        assertTrue(t.err.toString().contains("RAREGEN_PASSPHRASE"), t.err.toString());
    }

    @Test
    void keysNew_twice_refusesToOverwriteWithoutForce(@TempDir Path home) {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());
        t.vars.put("RAREGEN_PASSPHRASE", "a long passphrase");
        assertEquals(0, t.run("keys", "new", "--kdf-iterations", "1000"));

        assertEquals(ExitCodes.KEYS, t.run("keys", "new", "--kdf-iterations", "1000"));
        assertTrue(t.err.toString().contains("KEYS_EXIST"));
        assertEquals(0, t.run("keys", "new", "--kdf-iterations", "1000", "--force"));
    }

    @Test
    void keysNew_withAShortPassphrase_isRefused(@TempDir Path home) {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());
        t.vars.put("RAREGEN_PASSPHRASE", "short");

        assertEquals(ExitCodes.KEYS, t.run("keys", "new"));
        assertTrue(t.err.toString().contains("PASSPHRASE_TOO_SHORT"));
    }
}
