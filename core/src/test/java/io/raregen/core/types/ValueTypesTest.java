package io.raregen.core.types;

import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {
    @Test
    void satoshis_areNeverNegative() {
        assertThrows(IllegalArgumentException.class, () -> Satoshis.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Satoshis.of(5).minus(Satoshis.of(6)));
        assertThrows(ArithmeticException.class, () -> Satoshis.of(Long.MAX_VALUE).plus(Satoshis.of(1)));
        assertEquals(Satoshis.of(11), Satoshis.of(5).plus(Satoshis.of(6)));
        assertEquals(Satoshis.ZERO, Satoshis.of(6).minus(Satoshis.of(6)));
        assertTrue(Satoshis.ZERO.isDust());
        assertFalse(Satoshis.of(1).isDust());
        assertTrue(Satoshis.of(1).compareTo(Satoshis.of(2)) < 0);
    }

    @Test
    void txid_isLowerCaseDisplayOrderAndReversesOnTheWire() {
        String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        Txid t = Txid.fromHex(hex.toUpperCase());
        assertEquals(hex, t.hex());
        assertEquals(hex, t.toString());
        byte[] wire = t.wireBytes();
        assertEquals((byte) 0xff, wire[0]);
        assertEquals((byte) 0x00, wire[31]);
        assertEquals(t, Txid.fromWireBytes(wire));
        assertThrows(IllegalArgumentException.class, () -> new Txid(hex.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> Txid.fromHex(hex.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> Txid.fromHex("zz" + hex.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> Txid.fromWireBytes(new byte[31]));
    }

    @Test
    void outpoint_parsesAndPrintsTxidColonVout() {
        String s = "ab".repeat(32) + ":7";
        Outpoint o = Outpoint.parse(s);
        assertEquals(7, o.vout());
        assertEquals(s, o.toString());
        for (String bad : List.of("ab".repeat(32), "ab".repeat(32) + ":", "ab".repeat(32) + ":-1", "ab".repeat(32) + ":01",
                "ab".repeat(32) + ":x", "ab".repeat(31) + ":1", "ab".repeat(32) + ":99999999999")) {
            assertThrows(IllegalArgumentException.class, () -> Outpoint.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new Outpoint(Txid.fromHex("ab".repeat(32)), -1));
    }

    @Test
    void ulid_isValidSortableAndMonotonic() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ulid.generate());
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(ids, sorted, "ULIDs generated in sequence sort in sequence");
        assertEquals(ids.size(), ids.stream().distinct().count());
        ids.forEach(id -> assertTrue(Ulid.isValid(id), id));
        long t = Ulid.timestampMillis(ids.get(0));
        assertTrue(Math.abs(System.currentTimeMillis() - t) < 60_000);
        assertFalse(Ulid.isValid("01ARZ3NDEKTSV4RRFFQ69G5FA"));   // 25 chars
        assertFalse(Ulid.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAU"));  // U is not Crockford
        assertFalse(Ulid.isValid("81ARZ3NDEKTSV4RRFFQ69G5FAV"));  // time overflows 48 bits
        assertFalse(Ulid.isValid("01arz3ndektsv4rrffq69g5fav"));  // lower case is not the stored form
        assertTrue(Ulid.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    }

    @Test
    void jobId_wrapsAUlid() {
        JobId id = JobId.generate();
        assertEquals(id, JobId.parse(id.value().toLowerCase()));
        assertEquals(id.value(), id.toString());
        assertThrows(IllegalArgumentException.class, () -> JobId.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> JobId.parse(null));
    }

    @Test
    void publicKey_mustBeACompressedPointOnTheCurve() {
        PublicKey pk = KeyPair.fromPrivateKeyHex("11".repeat(32)).publicKey();
        assertEquals(pk, PublicKey.fromHex(pk.hex()));
        assertEquals(pk, PublicKey.fromHex(pk.hex().toUpperCase()));
        assertEquals(pk.hashCode(), PublicKey.fromHex(pk.hex()).hashCode());
        byte[] bytes = pk.compressed();
        bytes[0] = 9;
        assertArrayEquals(PublicKey.fromHex(pk.hex()).compressed(), pk.compressed(), "accessor returns a copy");
        assertThrows(IllegalArgumentException.class, () -> new PublicKey(bytes));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex(pk.hex().substring(2)));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("02" + "00".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("02" + "ff".repeat(32))); // x >= p
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex(null));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("zz".repeat(33)));
    }
}
