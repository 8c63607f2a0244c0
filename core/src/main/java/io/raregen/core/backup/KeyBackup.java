package io.raregen.core.backup;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.PublicKey;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an identity key into {@link BackupShare}s and rebuilds it. Recovery refuses every mix-up with
 * a specific {@link ShareError} and returns a key only when it reproduces the public key fingerprint
 * that every share carries: never a silently wrong key.
 */
public final class KeyBackup {
    public static final int DEFAULT_THRESHOLD = 3;
    public static final int DEFAULT_TOTAL = 5;

    private KeyBackup() {
    }

    /**
     * First 4 bytes of SHA-256(compressed public key): lets recovery check the key offline. SHA-256 rather
     * than HASH160 so that a browser computes it with WebCrypto alone.
     */
    public static byte[] fingerprint(PublicKey key) {
        return Arrays.copyOf(Hashes.sha256(key.compressed()), BackupShare.FINGERPRINT_BYTES);
    }

    /** A fresh split: 4 random bytes of split id, then {@link Shamir#split} of the 32-byte private key. */
    public static List<BackupShare> split(KeyPair key, int threshold, int total, SecureRandom random) {
        byte[] splitId = new byte[BackupShare.SPLIT_ID_BYTES];
        random.nextBytes(splitId);
        byte[] secret = Hex.decode(key.privateKeyHex());
        try {
            return assemble(splitId, fingerprint(key.publicKey()), threshold, Shamir.split(secret, total, threshold, random));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Wraps raw Shamir shares (in split order: index 1 is the first) as backup shares. */
    public static List<BackupShare> assemble(byte[] splitId, byte[] fingerprint, int threshold, List<byte[]> raw) {
        List<BackupShare> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(new BackupShare(BackupShare.VERSION, splitId, i + 1, threshold, raw.size(), fingerprint, raw.get(i)));
        }
        return out;
    }

    /** Decodes every text, naming the position of the first bad one ("share 2: ..."). */
    public static List<BackupShare> decodeAll(List<String> texts) throws ShareException {
        List<BackupShare> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(BackupShare.decode(texts.get(i)));
            } catch (ShareException e) {
                throw new ShareException(e.error(), "share " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Checks the set (no repeats, one split, one threshold, enough shares), combines it, and returns the
     * key only when its public key has the shares' fingerprint.
     */
    public static KeyPair recover(List<BackupShare> shares) throws ShareException {
        if (shares == null || shares.isEmpty()) {
            throw new ShareException(ShareError.SHARE_TOO_FEW, "no shares given");
        }
        BackupShare first = shares.get(0);
        for (int i = 1; i < shares.size(); i++) {
            BackupShare s = shares.get(i);
            for (int j = 0; j < i; j++) {
                BackupShare t = shares.get(j);
                if (s.equals(t) || Arrays.equals(s.splitId(), t.splitId()) && s.index() == t.index()) {
                    throw new ShareException(ShareError.SHARE_DUPLICATE,
                            "share " + (i + 1) + " is the same share as share " + (j + 1) + " (number " + s.index() + ")");
                }
            }
            if (s.threshold() != first.threshold() || s.total() != first.total()) {
                throw new ShareException(ShareError.SHARE_THRESHOLD_MISMATCH, "share " + (i + 1) + " belongs to a "
                        + s.threshold() + "-of-" + s.total() + " backup, share 1 to a " + first.threshold() + "-of-"
                        + first.total() + " backup");
            }
            if (!Arrays.equals(s.splitId(), first.splitId()) || !Arrays.equals(s.fingerprint(), first.fingerprint())) {
                throw new ShareException(ShareError.SHARE_MIXED_SPLITS, "share " + (i + 1) + " comes from backup "
                        + s.splitIdHex() + " (key " + s.fingerprintHex() + "), share 1 from backup " + first.splitIdHex()
                        + " (key " + first.fingerprintHex() + "): use shares of one backup");
            }
        }
        if (shares.size() < first.threshold()) {
            throw new ShareException(ShareError.SHARE_TOO_FEW, shares.size() + " share" + (shares.size() == 1 ? "" : "s")
                    + " given, this backup needs " + first.threshold() + " of its " + first.total());
        }
        List<byte[]> raw = new ArrayList<>(shares.size());
        for (BackupShare s : shares) {
            raw.add(s.share());
        }
        byte[] secret;
        try {
            secret = Shamir.combine(raw);
        } catch (IllegalArgumentException e) {
            throw new ShareException(ShareError.SHARE_DUPLICATE, "the shares cannot be combined: " + e.getMessage());
        }
        KeyPair key;
        try {
            key = KeyPair.fromPrivateKeyHex(Hex.encode(secret));
        } catch (IllegalArgumentException e) {
            throw new ShareException(ShareError.KEY_MISMATCH, "the shares do not rebuild a valid private key");
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        if (!Arrays.equals(fingerprint(key.publicKey()), first.fingerprint())) {
            throw new ShareException(ShareError.KEY_MISMATCH,
                    "the rebuilt key does not match the fingerprint " + first.fingerprintHex() + " the shares carry");
        }
        return key;
    }
}
