package io.raregen.core.keys;

import io.raregen.core.internal.Hashes;
import io.raregen.core.types.PublicKey;
import org.bitcoinj.base.Base58;

import java.util.Arrays;

/** Pay-to-public-key-hash locking scripts: OP_DUP OP_HASH160 &lt;20&gt; OP_EQUALVERIFY OP_CHECKSIG. */
public final class P2pkh {
    public static final int LOCKING_SCRIPT_LENGTH = 25;
    /** Largest unlocking script: push(72-byte signature incl. sighash byte) + push(33-byte key). */
    public static final int MAX_UNLOCKING_SCRIPT_LENGTH = 107;

    private P2pkh() {
    }

    public static byte[] lockingScript(PublicKey key) {
        return lockingScriptForHash(Hashes.hash160(key.compressed()));
    }

    public static byte[] lockingScriptForHash(byte[] hash160) {
        if (hash160.length != 20) {
            throw new IllegalArgumentException("public key hash must be 20 bytes");
        }
        byte[] s = new byte[25];
        s[0] = 0x76;
        s[1] = (byte) 0xa9;
        s[2] = 0x14;
        System.arraycopy(hash160, 0, s, 3, 20);
        s[23] = (byte) 0x88;
        s[24] = (byte) 0xac;
        return s;
    }

    /** Accepts main-net and test-net/regtest addresses. */
    public static byte[] lockingScriptForAddress(String address) {
        byte[] decoded;
        try {
            decoded = Base58.decodeChecked(address);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a base58check address", e);
        }
        if (decoded.length != 21 || (decoded[0] != 0x00 && decoded[0] != 0x6f)) {
            throw new IllegalArgumentException("not a P2PKH address");
        }
        return lockingScriptForHash(Arrays.copyOfRange(decoded, 1, 21));
    }

    public static String address(byte[] hash160, Network network) {
        return Base58.encodeChecked(network.p2pkhVersion(), hash160);
    }

    /** The 20-byte hash of a P2PKH locking script, or null if the script is not exactly P2PKH. */
    public static byte[] pubKeyHash(byte[] lockingScript) {
        if (!isP2pkh(lockingScript)) {
            return null;
        }
        return Arrays.copyOfRange(lockingScript, 3, 23);
    }

    public static boolean isP2pkh(byte[] s) {
        return s != null && s.length == 25 && s[0] == 0x76 && s[1] == (byte) 0xa9 && s[2] == 0x14
                && s[23] == (byte) 0x88 && s[24] == (byte) 0xac;
    }

    /** The address a P2PKH locking script pays to. */
    public static String addressOf(byte[] lockingScript, Network network) {
        byte[] h = pubKeyHash(lockingScript);
        if (h == null) {
            throw new IllegalArgumentException("not a P2PKH locking script");
        }
        return address(h, network);
    }
}
