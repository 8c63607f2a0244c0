package io.raregen.localchain.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static List<byte[]> leaves(String... displayHex) {
        List<byte[]> l = new ArrayList<>();
        for (String h : displayHex) {
            l.add(Hashes.internalFromDisplayHex(h));
        }
        return l;
    }

    @Test
    void root_ofBitcoinBlock100000_matchesTheHeader() {
        MerkleTree t = MerkleTree.build(leaves(
                "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
                "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
                "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
                "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d"));
        assertEquals("f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766", Hashes.displayHex(t.root()));
    }

    @Test
    void root_ofOneLeaf_isTheLeaf() {
        byte[] leaf = Hashes.sha256d(new byte[] {1});
        assertArrayEquals(leaf, MerkleTree.build(List.of(leaf)).root());
    }

    @Test
    void root_ofOddLevel_duplicatesTheLastNode() {
        byte[] a = Hashes.sha256d(new byte[] {1});
        byte[] b = Hashes.sha256d(new byte[] {2});
        byte[] c = Hashes.sha256d(new byte[] {3});
        byte[] expected = Hashes.sha256d(Hashes.sha256d(a, b), Hashes.sha256d(c, c));
        assertArrayEquals(expected, MerkleTree.build(List.of(a, b, c)).root());
    }

    @Test
    void bump_forEveryLeafOfManySizes_computesTheRoot() {
        for (int n = 2; n <= 33; n++) {
            List<byte[]> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(Hashes.sha256d(new byte[] {(byte) i, (byte) n}));
            }
            MerkleTree t = MerkleTree.build(l);
            for (int i = 0; i < n; i++) {
                byte[] path = Bump.forLeaf(t, i, 1000 + n);
                assertArrayEquals(t.root(), Bump.computeRoot(path, l.get(i)), "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void bump_startsWithVarIntHeightAndTreeHeight() {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            l.add(Hashes.sha256d(new byte[] {(byte) i}));
        }
        byte[] path = Bump.forLeaf(MerkleTree.build(l), 4, 300);
        assertEquals(0xfd, path[0] & 0xff); // 300 needs the 2-byte varint form
        assertEquals(300, (path[1] & 0xff) | (path[2] & 0xff) << 8);
        assertEquals(3, path[3]); // 5 leaves: 3 levels below the root
        // level 0: two leaves; the txid (offset 4) and its missing sibling 5 flagged duplicate
        assertEquals(2, path[4]);
        assertEquals(4, path[5]);
        assertEquals(2, path[6]);
        assertEquals(5, path[7 + 32]);
        assertEquals(1, path[8 + 32]);
    }
}
