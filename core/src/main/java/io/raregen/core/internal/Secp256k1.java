package io.raregen.core.internal;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;

/**
 * secp256k1: point decoding and strict DER through BouncyCastle's custom (GLV) curve; ECDSA signing and
 * verification through libsecp256k1 (Bitcoin Core's library, via the ACINQ JNI binding) where its native
 * library loads (Linux x86_64 and aarch64), else through BouncyCastle. Both give the same answers: the
 * signatures are deterministic (RFC 6979) and low-S either way, which core's tests check against each other
 * and against {@code @bsv/sdk}.
 */
public final class Secp256k1 {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
    public static final BigInteger N = PARAMS.getN();
    public static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /** Decodes a 33-byte compressed point; IllegalArgumentException if it is not one on the curve. */
    public static ECPoint decodeCompressed(byte[] compressed) {
        if (compressed == null || compressed.length != 33 || (compressed[0] != 2 && compressed[0] != 3)) {
            throw new IllegalArgumentException("public key must be 33 bytes starting with 02 or 03");
        }
        ECPoint p;
        try {
            p = PARAMS.getCurve().decodePoint(compressed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key is not a point on secp256k1", e);
        }
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("public key is not a valid point on secp256k1");
        }
        return p.normalize();
    }

    /** (r, s) of a DER signature. */
    public record Rs(BigInteger r, BigInteger s) {
        public boolean isLowS() {
            return s.compareTo(HALF_N) <= 0;
        }
    }

    /**
     * Strict DER (BIP66 rules) parse of an ECDSA signature without a sighash byte.
     *
     * @return null when the bytes are not a strict DER signature with 0 &lt; r, s &lt; n
     */
    public static Rs parseDer(byte[] sig) {
        if (sig == null || sig.length < 8 || sig.length > 72) {
            return null;
        }
        if (sig[0] != 0x30 || (sig[1] & 0xff) != sig.length - 2) {
            return null;
        }
        int lenR = sig[3] & 0xff;
        if (sig[2] != 0x02 || lenR == 0 || 5 + lenR >= sig.length) {
            return null;
        }
        int lenS = sig[5 + lenR] & 0xff;
        if (sig[4 + lenR] != 0x02 || lenS == 0 || lenR + lenS + 6 != sig.length) {
            return null;
        }
        if (!minimalInteger(sig, 4, lenR) || !minimalInteger(sig, 6 + lenR, lenS)) {
            return null;
        }
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 4, 4 + lenR));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 6 + lenR, 6 + lenR + lenS));
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
            return null;
        }
        return new Rs(r, s);
    }

    private static boolean minimalInteger(byte[] sig, int off, int len) {
        if ((sig[off] & 0x80) != 0) {
            return false; // negative
        }
        return !(len > 1 && sig[off] == 0 && (sig[off + 1] & 0x80) == 0); // needless leading zero
    }

    /** Which implementation signs and verifies: {@code "libsecp256k1"} or {@code "bouncycastle"}. */
    public static String implementation() {
        return Native.LIB != null ? "libsecp256k1" : "bouncycastle";
    }

    /**
     * ECDSA verification of a 32-byte digest. Either S verifies (callers that require low S check
     * {@link Rs#isLowS()} first); libsecp256k1 accepts only the low one, so a high S is mirrored for it.
     */
    public static boolean verify(byte[] digest32, Rs rs, ECPoint publicKey) {
        if (Native.LIB != null) {
            BigInteger s = rs.isLowS() ? rs.s() : N.subtract(rs.s());
            byte[] compact = new byte[64];
            put32(rs.r(), compact, 0);
            put32(s, compact, 32);
            return Native.LIB.verify(compact, digest32, publicKey.getEncoded(true));
        }
        return verifyBouncyCastle(digest32, rs, publicKey);
    }

    /** BouncyCastle's verification alone (for the cross-check of the two implementations). */
    public static boolean verifyBouncyCastle(byte[] digest32, Rs rs, ECPoint publicKey) {
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
        return signer.verifySignature(digest32, rs.r(), rs.s());
    }

    /**
     * Low-S DER signature of a 32-byte digest with the RFC 6979 nonce through libsecp256k1, or null when
     * the native library is not available (the caller signs with BouncyCastle then).
     */
    public static byte[] signNative(byte[] digest32, byte[] privateKey32) {
        if (Native.LIB == null) {
            return null;
        }
        return Native.LIB.compact2der(Native.LIB.sign(digest32, privateKey32, null));
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    /** The native library, loaded once; null where it does not load (another OS or architecture). */
    private static final class Native {
        static final fr.acinq.secp256k1.Secp256k1 LIB = load();

        private static fr.acinq.secp256k1.Secp256k1 load() {
            if (Boolean.getBoolean("raregen.secp256k1.bouncycastle")) {
                return null;
            }
            try {
                return fr.acinq.secp256k1.Secp256k1.get();
            } catch (Throwable t) { // UnsatisfiedLinkError, or the JNI jar absent for this platform
                return null;
            }
        }
    }
}
