package io.raregen.core.proof;

import io.raregen.core.internal.Hashes;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerklePathTest {

    private static final Txid A = Txid.fromHex("a1".repeat(32));
    private static final Txid B = Txid.fromHex("b2".repeat(32));
    private static final Txid C = Txid.fromHex("c3".repeat(32));
    private static final Txid D = Txid.fromHex("d4".repeat(32));

    static byte[] h(byte[] l, byte[] r) {
        byte[] both = Arrays.copyOf(l, 64);
        System.arraycopy(r, 0, both, 32, 32);
        return Hashes.doubleSha256(both);
    }

    /** The path of C (offset 2) in the four-leaf tree A B C D at height 812. */
    static byte[] pathOfC() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xfd, 0x2c, 0x03}); // 812
        out.write(2);
        out.write(2);
        out.write(2); out.write(2); out.writeBytes(C.wireBytes());
        out.write(3); out.write(0); out.writeBytes(D.wireBytes());
        out.write(1);
        out.write(0); out.write(0); out.writeBytes(h(A.wireBytes(), B.wireBytes()));
        return out.toByteArray();
    }

    @Test
    void rootFor_txidInThePath_isTheTreeRoot() {
        byte[] root = h(h(A.wireBytes(), B.wireBytes()), h(C.wireBytes(), D.wireBytes()));
        MerklePath p = MerklePath.parse(pathOfC());
        assertArrayEquals(root, p.rootFor(C).orElseThrow());
        assertTrue(p.proves(C, 812));
    }

    @Test
    void proves_otherTxidOrOtherHeight_isFalse() {
        MerklePath p = MerklePath.parse(pathOfC());
        assertFalse(p.proves(A, 812), "A is not a leaf of the path");
        assertFalse(p.proves(C, 813), "the path is for block 812");
    }

    @Test
    void duplicateSibling_hashesTheNodeWithItself() {
        byte[] bump = HexFormat.of().parseHex("0501" + "02" + "0002" + HexFormat.of().formatHex(A.wireBytes()) + "0101");
        assertArrayEquals(h(A.wireBytes(), A.wireBytes()), MerklePath.parse(bump).rootFor(A).orElseThrow());
    }

    @Test
    void missingSibling_provesNothing() {
        byte[] bump = HexFormat.of().parseHex("0501" + "01" + "0002" + HexFormat.of().formatHex(A.wireBytes()));
        assertFalse(MerklePath.parse(bump).proves(A, 5));
    }

    @Test
    void malformedBytes_areRejected() {
        byte[] good = pathOfC();
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(new byte[] {(byte) 0xfe, 0x01, 0x02}));
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(Arrays.copyOf(good, good.length - 1)), "truncated");
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(Arrays.copyOf(good, good.length + 1)), "trailing byte");
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(HexFormat.of().parseHex("0100")), "tree height 0");
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(HexFormat.of().parseHex("0101ff")), "leaf count beyond the bytes");
        byte[] badFlags = good.clone();
        badFlags[6] = 0x08; // the first leaf's flags
        assertThrows(IllegalArgumentException.class, () -> MerklePath.parse(badFlags), "unknown flag");
    }
}
