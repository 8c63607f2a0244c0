package io.raregen.cli.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFileTest {
    private static final int FAST = 1_000; // the iteration count is stored in the file; tests need no 600k rounds

    @Test
    void unlock_withTheRightPassphrase_returnsTheSameThreeKeys(@TempDir Path home) throws Exception {
        WalletKeys keys = WalletKeys.generate();
        KeyFile.create(home, keys, "correct horse".toCharArray(), FAST, false);

        WalletKeys back = KeyFile.load(home).unlock("correct horse".toCharArray());

        assertEquals(keys.identity().privateKeyHex(), back.identity().privateKeyHex());
        assertEquals(keys.financial().privateKeyHex(), back.financial().privateKeyHex());
        assertEquals(keys.tokens().privateKeyHex(), back.tokens().privateKeyHex());
        assertEquals(keys.identity().publicKey().hex(), KeyFile.load(home).publicKeys().get("identity"));
    }

    @Test
    void unlock_withAWrongPassphrase_throwsWrongPassphrase(@TempDir Path home) throws Exception {
        KeyFile.create(home, WalletKeys.generate(), "correct horse".toCharArray(), FAST, false);

        assertThrows(WrongPassphraseException.class, () -> KeyFile.load(home).unlock("correct hors3".toCharArray()));
    }

    @Test
    void file_neverContainsAPrivateKeyInClear(@TempDir Path home) throws Exception {
        WalletKeys keys = WalletKeys.generate();
        KeyFile.create(home, keys, "correct horse".toCharArray(), FAST, false);

        String text = Files.readString(KeyFile.pathIn(home));

        for (KeyPair k : new KeyPair[] {keys.identity(), keys.financial(), keys.tokens()}) {
            assertFalse(text.contains(k.privateKeyHex()));
            assertFalse(text.contains(k.toWif(io.raregen.core.keys.Network.MAIN)));
            assertTrue(text.contains(k.publicKey().hex()));
        }
    }

    @Test
    void unlock_afterSwappingAPublicKeyInTheFile_isDetected(@TempDir Path home) throws Exception {
        KeyFile.create(home, WalletKeys.generate(), "correct horse".toCharArray(), FAST, false);
        Path file = KeyFile.pathIn(home);
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        ((ObjectNode) doc.get("public")).put("identity", KeyPair.generate().publicKey().hex());
        Files.writeString(file, doc.toString());

        assertThrows(WrongPassphraseException.class, () -> KeyFile.load(home).unlock("correct horse".toCharArray()));
    }

    @Test
    void create_whenAFileExists_refusesWithoutOverwrite(@TempDir Path home) throws Exception {
        KeyFile.create(home, WalletKeys.generate(), "correct horse".toCharArray(), FAST, false);

        assertThrows(java.io.IOException.class,
                () -> KeyFile.create(home, WalletKeys.generate(), "correct horse".toCharArray(), FAST, false));
    }

    @Test
    void cipher_sealsWithAFreshSaltAndIvEachTime() throws Exception {
        PassphraseCipher.Sealed a = PassphraseCipher.seal(new byte[] {1, 2, 3}, "pw".toCharArray(), new byte[0], FAST);
        PassphraseCipher.Sealed b = PassphraseCipher.seal(new byte[] {1, 2, 3}, "pw".toCharArray(), new byte[0], FAST);

        assertFalse(java.util.Arrays.equals(a.ciphertext(), b.ciphertext()));
        assertEquals(3, PassphraseCipher.open(b, "pw".toCharArray(), new byte[0]).length);
    }
}
