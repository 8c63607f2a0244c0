package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHeaderSourceTest {

    @Test
    void parse_explorerStyleHeaderFields_rebuildsTheExactHeader() throws Exception {
        byte[] root = new byte[32];
        ProofFixture.RANDOM.nextBytes(root);
        byte[] raw = ProofFixture.header(root);
        BlockHeader h = new BlockHeader(raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("hash", h.hash());
        n.put("version", b.getInt(0));
        byte[] prev = new byte[32];
        System.arraycopy(raw, 4, prev, 0, 32);
        n.put("previousblockhash", Hashes.displayHex(prev));
        n.put("merkleroot", Hashes.displayHex(root));
        n.put("time", Integer.toUnsignedLong(b.getInt(68)));
        n.put("bits", Integer.toHexString(b.getInt(72)));
        n.put("nonce", Integer.toUnsignedLong(b.getInt(76)));

        BlockRef parsed = HttpHeaderSource.parse(n.toString());

        assertEquals(h.hash(), parsed.hash());
        assertArrayEquals(root, parsed.merkleRoot());
        assertTrue(parsed.fromHeader());
    }

    @Test
    void parse_sourceThatStatesOnlyTheRoot_isTakenAsStated() throws Exception {
        byte[] root = new byte[32];
        root[0] = 9;
        BlockRef parsed = HttpHeaderSource.parse("{\"height\":3,\"hash\":\"" + "ab".repeat(32) + "\",\"merkleRoot\":\"" + Hashes.displayHex(root) + "\"}");
        assertEquals("ab".repeat(32), parsed.hash());
        assertArrayEquals(root, parsed.merkleRoot());
        assertFalse(parsed.fromHeader());
    }

    @Test
    void parse_hexHeader_isTakenAsIs() throws Exception {
        byte[] raw = ProofFixture.header(new byte[32]);
        assertEquals(new BlockHeader(raw).hash(), HttpHeaderSource.parse(Hashes.hex(raw)).hash());
        assertEquals(new BlockHeader(raw).hash(), HttpHeaderSource.parse("{\"header\":\"" + Hashes.hex(raw) + "\"}").hash());
    }
}
