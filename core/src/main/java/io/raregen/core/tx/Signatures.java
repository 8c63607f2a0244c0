package io.raregen.core.tx;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Pushes;
import io.raregen.core.internal.Secp256k1;
import io.raregen.core.keys.P2pkh;
import io.raregen.core.types.Satoshis;
import org.bouncycastle.math.ec.ECPoint;

import java.util.Arrays;
import java.util.List;

/** Checks P2PKH input signatures the way a BSV node does for our transactions (FORKID required, low S). */
public final class Signatures {
    private Signatures() {
    }

    public static boolean verifyP2pkhInput(byte[] rawTx, int idx, byte[] prevScript, Satoshis prevValue) {
        try {
            return p2pkhInputError(RawTransaction.parse(rawTx), idx, prevScript, prevValue) == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean verifyP2pkhInput(RawTransaction tx, int idx, byte[] prevScript, Satoshis prevValue) {
        return p2pkhInputError(tx, idx, prevScript, prevValue) == null;
    }

    /**
     * Why input {@code idx} does not validly spend a P2PKH output, or null if it does.
     * Messages are short and stable enough for a local chain to return them as reject reasons.
     */
    public static String p2pkhInputError(RawTransaction tx, int idx, byte[] prevScript, Satoshis prevValue) {
        if (idx < 0 || idx >= tx.inputs().size()) {
            return "input index out of range";
        }
        byte[] expectedHash = P2pkh.pubKeyHash(prevScript);
        if (expectedHash == null) {
            return "previous output is not P2PKH";
        }
        List<byte[]> pushes = Pushes.readAll(tx.inputs().get(idx).unlockingScript(), 0);
        if (pushes == null || pushes.size() != 2) {
            return "unlocking script is not <signature> <pubkey>";
        }
        byte[] sigWithType = pushes.get(0);
        byte[] pubkey = pushes.get(1);
        if (sigWithType.length < 9) {
            return "signature too short";
        }
        if (!Arrays.equals(Hashes.hash160(pubkey), expectedHash)) {
            return "public key does not match the public key hash";
        }
        int sighashType = sigWithType[sigWithType.length - 1] & 0xff;
        if ((sighashType & ForkIdSighash.SIGHASH_FORKID) == 0) {
            return "signature must use SIGHASH_FORKID";
        }
        int base = sighashType & 0x1f;
        if (base < ForkIdSighash.SIGHASH_ALL || base > ForkIdSighash.SIGHASH_SINGLE) {
            return "undefined sighash type";
        }
        Secp256k1.Rs rs = Secp256k1.parseDer(Arrays.copyOf(sigWithType, sigWithType.length - 1));
        if (rs == null) {
            return "signature is not strict DER";
        }
        if (!rs.isLowS()) {
            return "signature has high S";
        }
        ECPoint point;
        try {
            point = decodePoint(pubkey);
        } catch (IllegalArgumentException e) {
            return "public key is not a valid point";
        }
        byte[] digest = ForkIdSighash.digest(tx, idx, prevScript, prevValue, sighashType);
        if (!Secp256k1.verify(digest, rs, point)) {
            return "signature does not verify";
        }
        return null;
    }

    private static ECPoint decodePoint(byte[] pubkey) {
        if (pubkey.length == 33) {
            return Secp256k1.decodeCompressed(pubkey);
        }
        if (pubkey.length == 65 && pubkey[0] == 4) {
            try {
                ECPoint p = Secp256k1.DOMAIN.getCurve().decodePoint(pubkey);
                if (p.isValid()) {
                    return p;
                }
            } catch (RuntimeException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("not a public key");
    }
}
