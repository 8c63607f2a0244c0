package io.raregen.broadcaster.keys;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfiguredServiceKeysTest {

    private static final KeyPair POOL = KeyPair.generate();
    private static final KeyPair FUNDING = KeyPair.generate();

    @Test
    void keys_whenOnlyThePoolWifIsSet_fundingDefaultsToThePoolKey() {
        KeySettings s = new KeySettings();
        s.setPoolWif(POOL.toWif(Network.TEST));

        ConfiguredServiceKeys keys = new ConfiguredServiceKeys(s, "test");

        assertEquals(POOL, keys.poolKey());
        assertEquals(POOL, keys.fundingKey());
    }

    @Test
    void keys_whenBothWifsAreSet_usesSeparateKeys() {
        KeySettings s = new KeySettings();
        s.setPoolWif(POOL.toWif(Network.MAIN));
        s.setFundingWif(FUNDING.toWif(Network.MAIN));

        ConfiguredServiceKeys keys = new ConfiguredServiceKeys(s, "main");

        assertEquals(POOL, keys.poolKey());
        assertEquals(FUNDING, keys.fundingKey());
    }

    @Test
    void keys_whenNothingIsConfigured_failsWithAStableCodeAndNoGeneration(@TempDir Path dir) {
        KeySettings s = new KeySettings();
        s.setKeyFile(dir.resolve("k.properties").toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ConfiguredServiceKeys(s, "regtest"));

        assertTrue(e.getMessage().startsWith("KEYS_MISSING"));
        assertFalse(Files.exists(dir.resolve("k.properties")));
    }

    @Test
    void keys_generateIfMissing_onMainNet_isRefused(@TempDir Path dir) {
        KeySettings s = new KeySettings();
        s.setGenerateIfMissing(true);
        s.setKeyFile(dir.resolve("k.properties").toString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ConfiguredServiceKeys(s, "main"));

        assertTrue(e.getMessage().startsWith("KEYS_GENERATION_REFUSED"));
    }

    @Test
    void keys_generateIfMissing_persistsOwnerOnlyKeysAndReloadsTheSameOnes(@TempDir Path dir) throws Exception {
        KeySettings s = new KeySettings();
        s.setGenerateIfMissing(true);
        s.setKeyFile(dir.resolve("sub/k.properties").toString());

        ConfiguredServiceKeys first = new ConfiguredServiceKeys(s, "regtest");
        ConfiguredServiceKeys second = new ConfiguredServiceKeys(s, "regtest");

        assertEquals(first.poolKey(), second.poolKey());
        assertEquals(first.fundingKey(), second.fundingKey());
        assertNotEquals(first.poolKey(), first.fundingKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/k.properties"))));
    }

    @Test
    void toString_neverContainsASecret() {
        KeySettings s = new KeySettings();
        String wif = POOL.toWif(Network.TEST);
        s.setPoolWif(wif);

        assertFalse(s.toString().contains(wif));
        assertFalse(new ConfiguredServiceKeys(s, "test").toString().contains(wif));
        assertFalse(new ConfiguredServiceKeys(s, "test").toString().contains(POOL.privateKeyHex()));
    }

    @Test
    void keys_withAnInvalidWif_failsWithoutEchoingIt() {
        KeySettings s = new KeySettings();
        s.setPoolWif("not-a-wif-secret-value");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ConfiguredServiceKeys(s, "test"));

        assertTrue(e.getMessage().startsWith("KEYS_INVALID"));
        assertFalse(e.getMessage().contains("not-a-wif-secret-value"));
    }
}
