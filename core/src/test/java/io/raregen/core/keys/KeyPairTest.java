package io.raregen.core.keys;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Secp256k1;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPairTest {
    // Well-known vector: private key 0c28fca3...1d (Bitcoin wiki WIF page), compressed
    static final String PRIV = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";
    static final String WIF_MAIN = "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617";

    @Test
    void wif_roundTripsAndMatchesTheKnownVector() {
        KeyPair k = KeyPair.fromPrivateKeyHex(PRIV);
        assertEquals(WIF_MAIN, k.toWif(Network.MAIN));
        assertEquals(k, KeyPair.fromWif(WIF_MAIN));
        assertEquals(PRIV, KeyPair.fromWif(k.toWif(Network.TEST)).privateKeyHex());
        assertTrue(k.toWif(Network.REGTEST).startsWith("c"));
    }

    @Test
    void fromWif_rejectsUncompressedAndGarbage() {
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromWif("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromWif("notawif"));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromWif(org.bitcoinj.base.Base58.encode(
                java.util.Arrays.copyOf(io.raregen.core.internal.Hashes.doubleSha256(new byte[0]), 4)))); // empty payload
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromWif(null));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromWif(WIF_MAIN.substring(0, 50) + "2"));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromPrivateKeyHex("00".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromPrivateKeyHex("ff".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> KeyPair.fromPrivateKeyHex("abc"));
    }

    @Test
    void address_isP2pkhBase58ForEachNetwork() {
        KeyPair k = KeyPair.fromPrivateKeyHex(PRIV);
        // compressed-key address of the same vector
        assertEquals("1LoVGDgRs9hTfTNJNuXKSpywcbdvwRXpmK", k.address(Network.MAIN));
        assertTrue(k.address(Network.TEST).startsWith("m") || k.address(Network.TEST).startsWith("n"));
        assertArrayEquals(k.p2pkhLockingScript(), P2pkh.lockingScriptForAddress(k.address(Network.MAIN)));
        assertArrayEquals(k.p2pkhLockingScript(), P2pkh.lockingScriptForAddress(k.address(Network.TEST)));
        assertArrayEquals(k.p2pkhLockingScript(), P2pkh.lockingScript(k.publicKey()));
        assertEquals("76a914" + Hex.encode(Hashes.hash160(k.publicKey().compressed())) + "88ac", Hex.encode(k.p2pkhLockingScript()));
        assertEquals(k.address(Network.MAIN), P2pkh.addressOf(k.p2pkhLockingScript(), Network.MAIN));
        assertThrows(IllegalArgumentException.class, () -> P2pkh.lockingScriptForAddress("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assertThrows(IllegalArgumentException.class, () -> P2pkh.lockingScriptForAddress("1LoVGDgRs9hTfTNJNuXKSpywcbdvwRXpmL"));
    }

    @Test
    void signDigest_isDeterministicLowSAndVerifies() throws Exception {
        KeyPair k = KeyPair.fromPrivateKeyHex(PRIV);
        for (int i = 0; i < 50; i++) {
            byte[] digest = Hashes.sha256(new byte[]{(byte) i});
            byte[] der = k.signDigest(digest);
            assertArrayEquals(der, k.signDigest(digest), "RFC 6979 signatures are deterministic");
            Secp256k1.Rs rs = Secp256k1.parseDer(der);
            assertTrue(rs.isLowS());
            assertTrue(Secp256k1.verify(digest, rs, Secp256k1.decodeCompressed(k.publicKey().compressed())));
            assertTrue(ECKey.fromPublicOnly(k.publicKey().compressed()).verify(Sha256Hash.wrap(digest), ECKey.ECDSASignature.decodeFromDER(der)));
        }
        assertThrows(IllegalArgumentException.class, () -> k.signDigest(new byte[31]));
    }

    @Test
    void toString_neverPrintsTheSecret() {
        KeyPair k = KeyPair.fromPrivateKeyHex(PRIV);
        assertFalse(k.toString().contains(PRIV));
        assertFalse(k.toString().contains(WIF_MAIN));
        assertTrue(k.toString().contains(k.publicKey().hex()));
        assertNotEquals(k, KeyPair.generate());
    }

    @Test
    void network_parsesConfigValues() {
        assertEquals(Network.MAIN, Network.parse("main"));
        assertEquals(Network.TEST, Network.parse("TEST"));
        assertEquals(Network.REGTEST, Network.parse("regtest"));
        assertThrows(IllegalArgumentException.class, () -> Network.parse("stn"));
    }
}
