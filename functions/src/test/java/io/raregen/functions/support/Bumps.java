package io.raregen.functions.support;

import io.raregen.core.types.Txid;

import java.util.HexFormat;

/** BRC-74 merkle paths for callback tests. */
public final class Bumps {

    private Bumps() {
    }

    /**
     * A one-level path for {@code txid} at {@code height} whose sibling duplicates it: it holds the txid and computes a
     * root (all a callback can be checked for without block headers).
     */
    public static String of(String txid, long height) {
        StringBuilder h = new StringBuilder();
        if (height < 0xfd) {
            h.append(String.format("%02x", height));
        } else {
            h.append("fe");
            for (int i = 0; i < 4; i++) {
                h.append(String.format("%02x", (height >> (8 * i)) & 0xff));
            }
        }
        return h + "01" + "02" + "0002" + HexFormat.of().formatHex(Txid.fromHex(txid).wireBytes()) + "0101";
    }
}
