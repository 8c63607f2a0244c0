package io.raregen.core.keys;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Secp256k1;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libsecp256k1 (the default where its native library loads) and BouncyCastle (the fallback) must be
 * interchangeable: byte-identical RFC 6979 signatures, and the same verdict on good, tampered and high-S
 * signatures.
 */
class NativeSecp256k1CrossCheckTest {

    @Test
    void theNativeLibraryRunsOnTheMachinesThisServiceRunsOn() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
            assertEquals("libsecp256k1", Secp256k1.implementation());
        }
    }

    @Test
    void bothImplementationsSignTheSameBytesAndAgreeOnEveryVerdict() {
        Random random = new Random(20261203);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            KeyPair key = KeyPair.fromPrivateKeyHex(String.format("%064x", new BigInteger(1, seed).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE)));
            byte[] digest = Hashes.sha256(("message " + i).getBytes(StandardCharsets.UTF_8));

            byte[] sig = key.signDigest(digest);
            assertArrayEquals(key.signDigestBouncyCastle(digest), sig, "signature " + i);

            Secp256k1.Rs rs = Secp256k1.parseDer(sig);
            assertNotNull(rs);
            assertTrue(rs.isLowS());
            ECPoint point = Secp256k1.decodeCompressed(key.publicKey().compressed());
            assertTrue(Secp256k1.verify(digest, rs, point));
            assertTrue(Secp256k1.verifyBouncyCastle(digest, rs, point));

            // the mirrored (high) S is a valid ECDSA signature too: both say so
            Secp256k1.Rs high = new Secp256k1.Rs(rs.r(), Secp256k1.N.subtract(rs.s()));
            assertTrue(Secp256k1.verify(digest, high, point));
            assertTrue(Secp256k1.verifyBouncyCastle(digest, high, point));

            // another digest, another key: both refuse
            byte[] other = digest.clone();
            other[i % 32] ^= 1;
            assertFalse(Secp256k1.verify(other, rs, point));
            assertFalse(Secp256k1.verifyBouncyCastle(other, rs, point));
            ECPoint stranger = Secp256k1.decodeCompressed(KeyPair.fromPrivateKeyHex("0c".repeat(32)).publicKey().compressed());
            assertFalse(Secp256k1.verify(digest, rs, stranger));
            assertFalse(Secp256k1.verifyBouncyCastle(digest, rs, stranger));
        }
    }
}
