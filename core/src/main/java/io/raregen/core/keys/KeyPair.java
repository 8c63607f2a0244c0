package io.raregen.core.keys;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Secp256k1;
import io.raregen.core.types.PublicKey;
import org.bitcoinj.base.Base58;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/** A secp256k1 private key (compressed public key). Signs with RFC 6979 nonces and low S. Never prints the secret. */
public final class KeyPair {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ECKey key;
    private final byte[] privateKey32;
    private final PublicKey publicKey;
    private final byte[] p2pkhLockingScript;

    private KeyPair(BigInteger priv) {
        if (priv.signum() <= 0 || priv.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("private key out of range");
        }
        this.key = ECKey.fromPrivate(priv, true);
        this.privateKey32 = key.getPrivKeyBytes();
        this.publicKey = new PublicKey(key.getPubKey());
        this.p2pkhLockingScript = P2pkh.lockingScript(publicKey);
    }

    public static KeyPair generate() {
        byte[] b = new byte[32];
        while (true) {
            RANDOM.nextBytes(b);
            BigInteger k = new BigInteger(1, b);
            if (k.signum() > 0 && k.compareTo(Secp256k1.N) < 0) {
                return new KeyPair(k);
            }
        }
    }

    /** 32-byte big-endian scalar as 64 hex characters. */
    public static KeyPair fromPrivateKeyHex(String hex) {
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException("private key must be 64 hex characters");
        }
        return new KeyPair(new BigInteger(1, Hex.decode(hex)));
    }

    /** Compressed-key WIF of any network (prefix 0x80 or 0xef). */
    public static KeyPair fromWif(String wif) {
        byte[] d;
        if (wif == null) {
            throw new IllegalArgumentException("WIF must not be null");
        }
        try {
            d = Base58.decodeChecked(wif);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a base58check WIF key");
        }
        try {
            if (d.length == 0 || (d[0] & 0xff) != 0x80 && (d[0] & 0xff) != 0xef) {
                throw new IllegalArgumentException("WIF has an unknown network prefix");
            }
            if (d.length == 33) {
                throw new IllegalArgumentException("uncompressed WIF keys are not supported; export a compressed key");
            }
            if (d.length != 34 || d[33] != 0x01) {
                throw new IllegalArgumentException("WIF must encode a 32-byte key with the compression flag");
            }
            return new KeyPair(new BigInteger(1, Arrays.copyOfRange(d, 1, 33)));
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    public String toWif(Network network) {
        byte[] payload = new byte[33];
        System.arraycopy(key.getPrivKeyBytes(), 0, payload, 0, 32);
        payload[32] = 1;
        return Base58.encodeChecked(network.wifVersion(), payload);
    }

    public String privateKeyHex() {
        return Hex.encode(key.getPrivKeyBytes());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** DER-encoded ECDSA signature of a 32-byte digest, deterministic (RFC 6979) and low-S. */
    public byte[] signDigest(byte[] digest32) {
        if (digest32 == null || digest32.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        byte[] nativeSig = Secp256k1.signNative(digest32, privateKey32);
        if (nativeSig != null) {
            return nativeSig;
        }
        return signDigestBouncyCastle(digest32);
    }

    /** The same signature through bitcoinj and BouncyCastle (the fallback, and the cross-check of the two). */
    public byte[] signDigestBouncyCastle(byte[] digest32) {
        // ECKey.sign already normalises to low S (BIP 62)
        return key.sign(Sha256Hash.wrap(digest32)).encodeToDER();
    }

    /** P2PKH address (base58check) for the network. */
    public String address(Network network) {
        return P2pkh.address(Hashes.hash160(publicKey.compressed()), network);
    }

    public byte[] p2pkhLockingScript() {
        return p2pkhLockingScript.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair other && publicKey.equals(other.publicKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "KeyPair[publicKey=" + publicKey.hex() + "]";
    }
}
