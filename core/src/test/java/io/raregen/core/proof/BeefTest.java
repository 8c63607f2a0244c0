package io.raregen.core.proof;

import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BeefTest {
    // a minimal transaction: version 1, one input, one output, lock time 0
    private static final byte[] TX = Hex.decode("01000000" + "01" + "11".repeat(32) + "00000000" + "00" + "ffffffff"
            + "01" + "0000000000000000" + "02006a" + "00000000");
    private static final byte[] SIBLING = Hashes.doubleSha256(new byte[] {42});

    /** Two leaves: our transaction at offset 1, the coinbase at 0. */
    private static byte[] bump(long height) {
        ByteWriter w = new ByteWriter(100);
        w.writeVarInt(height).writeByte(1).writeVarInt(2);
        w.writeVarInt(0).writeByte(0).write(SIBLING);
        w.writeVarInt(1).writeByte(2).write(Hashes.doubleSha256(TX));
        return w.toByteArray();
    }

    @Test
    void twoLeafPath_computesTheRoot() throws Exception {
        MerklePath p = MerklePath.parse(bump(300));
        Txid txid = Txid.fromWireBytes(Hashes.doubleSha256(TX));
        byte[] both = new byte[64];
        System.arraycopy(SIBLING, 0, both, 0, 32);
        System.arraycopy(Hashes.doubleSha256(TX), 0, both, 32, 32);
        assertArrayEquals(Hashes.doubleSha256(both), p.computeRoot(txid));
        assertEquals(300, p.blockHeight());
        assertThrows(MerklePathException.class, () -> p.computeRoot(Txid.fromHex("00".repeat(32))));
    }

    @Test
    void beef_roundTripsAndHasTheBrc62Layout() throws Exception {
        MerklePath p = MerklePath.parse(bump(300));
        byte[] beef = Beef.of(TX, p);
        String hex = Hex.encode(beef);
        // version, 1 BUMP, the BUMP, 1 transaction, the transaction, has-BUMP flag, BUMP index 0
        assertEquals("0100beef" + "01" + Hex.encode(bump(300)) + "01" + Hex.encode(TX) + "01" + "00", hex);
        Beef.Parsed parsed = Beef.parse(beef);
        assertArrayEquals(TX, parsed.subject().rawTx());
        assertEquals(0, parsed.subject().bumpIndex());
        assertArrayEquals(bump(300), parsed.bumps().get(0).bytes());
    }

    @Test
    void malformedBeef_isRefusedWithAReason() {
        byte[] beef = Beef.of(TX, parseQuietly(bump(300)));
        byte[] truncated = java.util.Arrays.copyOf(beef, beef.length - 3);
        assertThrows(MerklePathException.class, () -> Beef.parse(truncated));
        byte[] badVersion = beef.clone();
        badVersion[3] = 0;
        assertThrows(MerklePathException.class, () -> Beef.parse(badVersion));
        byte[] trailing = java.util.Arrays.copyOf(beef, beef.length + 1);
        assertThrows(MerklePathException.class, () -> Beef.parse(trailing));
    }

    @Test
    void header_fieldsAndHash() {
        BlockHeader h = BlockHeader.fromFields(0x20000000, "00".repeat(32), "ab".repeat(31) + "cd", 1_700_000_000L, 0x207fffff, 7);
        assertEquals("ab".repeat(31) + "cd", h.merkleRootHex());
        assertEquals(Hex.encode(Hex.reverse(Hashes.doubleSha256(h.raw()))), h.hash());
        assertEquals(h, BlockHeader.fromHex(h.hex()));
    }

    private static MerklePath parseQuietly(byte[] b) {
        try {
            return MerklePath.parse(b);
        } catch (MerklePathException e) {
            throw new AssertionError(e);
        }
    }
}
