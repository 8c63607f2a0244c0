package io.raregen.core.backup;

import io.raregen.core.internal.Hex;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShamirTest {

    @Test
    void tablesAreThePackagesTables() {
        // first and last rows of LOG_TABLE / EXP_TABLE in shamir-secret-sharing 0.0.4 src/index.ts
        int[] log0 = {0x00, 0xff, 0xc8, 0x08, 0x91, 0x10, 0xd0, 0x36, 0x5a, 0x3e, 0xd8, 0x43, 0x99, 0x77, 0xfe, 0x18};
        int[] logF = {0x3b, 0x52, 0x6f, 0xf6, 0x2e, 0x89, 0xf7, 0xc0, 0x68, 0x1b, 0x64, 0x04, 0x06, 0xbf, 0x83, 0x38};
        int[] exp0 = {0x01, 0xe5, 0x4c, 0xb5, 0xfb, 0x9f, 0xfc, 0x12, 0x03, 0x34, 0xd4, 0xc4, 0x16, 0xba, 0x1f, 0x36};
        int[] expF = {0x66, 0xb2, 0x76, 0x60, 0xda, 0xc5, 0xf3, 0xf6, 0xaa, 0xcd, 0x9a, 0xa0, 0x75, 0x54, 0x0e, 0x01};
        for (int i = 0; i < 16; i++) {
            assertEquals(log0[i], Shamir.log(i), "LOG[" + i + "]");
            assertEquals(logF[i], Shamir.log(240 + i), "LOG[" + (240 + i) + "]");
            assertEquals(exp0[i], Shamir.exp(i), "EXP[" + i + "]");
            assertEquals(expF[i], Shamir.exp(240 + i), "EXP[" + (240 + i) + "]");
        }
    }

    @Test
    void fieldIsAField() {
        for (int a = 1; a < 256; a++) {
            for (int b = 1; b < 256; b++) {
                int p = Shamir.mul(a, b);
                assertNotEquals(0, p);
                assertEquals(a, Shamir.div(p, b));
            }
            assertEquals(0, Shamir.mul(a, 0));
        }
    }

    @Test
    void anyThresholdSubsetRebuildsAndFewerDoNot() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        List<byte[]> shares = Shamir.split(secret, 5, 3, random);
        assertEquals(5, shares.size());
        Set<Integer> xs = new HashSet<>();
        for (byte[] s : shares) {
            assertEquals(33, s.length);
            assertTrue(xs.add(s[32] & 0xff), "distinct x");
            assertNotEquals(0, s[32]);
        }
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                for (int k = j + 1; k < 5; k++) {
                    assertArrayEquals(secret, Shamir.combine(List.of(shares.get(k), shares.get(i), shares.get(j))));
                }
                assertFalse(Arrays.equals(secret, Shamir.combine(List.of(shares.get(i), shares.get(j)))),
                        "two shares of a 3-of-5 split give something else");
            }
        }
        assertArrayEquals(secret, Shamir.combine(shares), "all five also work");
    }

    @Test
    void refusesWhatThePackageRefuses() {
        SecureRandom r = new SecureRandom();
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(new byte[0], 5, 3, r));
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(new byte[1], 1, 1, r));
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(new byte[1], 256, 3, r));
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(new byte[1], 3, 4, r));
        List<byte[]> shares = Shamir.split(Hex.decode("00ff"), 3, 2, r);
        assertThrows(IllegalArgumentException.class, () -> Shamir.combine(List.of(shares.get(0))));
        assertThrows(IllegalArgumentException.class, () -> Shamir.combine(List.of(shares.get(0), shares.get(0))));
        List<byte[]> uneven = new ArrayList<>(List.of(shares.get(0), Arrays.copyOf(shares.get(1), 2)));
        assertThrows(IllegalArgumentException.class, () -> Shamir.combine(uneven));
    }

    @Test
    void splitsEveryVectorByteForByteLikeThePackage() {
        for (var v : BackupVectors.vectors()) {
            ReplayRandom random = new ReplayRandom(Hex.decode(v.path("randomHex").asText()));
            List<byte[]> shares = Shamir.split(Hex.decode(v.path("secretHex").asText()), v.path("total").asInt(),
                    v.path("threshold").asInt(), random);
            assertTrue(random.exhausted(), v.path("name") + ": Java reads as many random bytes as the package");
            for (int i = 0; i < shares.size(); i++) {
                assertEquals(v.path("expected").get(i).path("shareHex").asText(), Hex.encode(shares.get(i)),
                        v.path("name") + " share " + (i + 1));
            }
        }
    }

    @Test
    void combinesEveryVectorSubset() {
        for (var v : BackupVectors.vectors()) {
            List<byte[]> shares = new ArrayList<>();
            v.path("expected").forEach(e -> shares.add(Hex.decode(e.path("shareHex").asText())));
            int t = v.path("threshold").asInt();
            // every window of `threshold` consecutive shares (wrapping), in reverse order for good measure
            for (int start = 0; start < shares.size(); start++) {
                List<byte[]> subset = new ArrayList<>();
                for (int k = t - 1; k >= 0; k--) {
                    subset.add(shares.get((start + k) % shares.size()));
                }
                assertEquals(v.path("secretHex").asText(), Hex.encode(Shamir.combine(subset)), v.path("name") + " from " + start);
            }
        }
    }
}
