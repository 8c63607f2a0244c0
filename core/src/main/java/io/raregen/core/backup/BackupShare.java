package io.raregen.core.backup;

import io.raregen.core.internal.Hex;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * One share of a key backup, self-describing so that a person can write it down and a program can
 * tell every misuse apart (see docs/BACKUP.md). Binary layout, then Crockford base32 in groups of 5:
 *
 * <pre>
 * version(1) = 1 | splitId(4) | index(1) | threshold(1) | total(1) | fingerprint(4) | share(n) | crc32(4)
 * </pre>
 *
 * {@code share} is the {@link Shamir} share (y bytes, then x); {@code fingerprint} is the first 4 bytes
 * of SHA-256 of the compressed public key; the CRC-32 (IEEE, big-endian) covers every byte before it, so
 * any single wrong character (at most 5 bits) and any swap of neighbouring characters is detected.
 */
public record BackupShare(int version, byte[] splitId, int index, int threshold, int total, byte[] fingerprint,
                          byte[] share) {
    public static final int VERSION = 1;
    public static final int SPLIT_ID_BYTES = 4;
    public static final int FINGERPRINT_BYTES = 4;
    static final int HEADER_BYTES = 1 + SPLIT_ID_BYTES + 3 + FINGERPRINT_BYTES;
    static final int CHECKSUM_BYTES = 4;
    private static final int GROUP = 5;

    public BackupShare {
        if (version != VERSION || splitId == null || splitId.length != SPLIT_ID_BYTES
                || fingerprint == null || fingerprint.length != FINGERPRINT_BYTES || share == null || share.length < 2) {
            throw new IllegalArgumentException("a share needs version 1, a 4-byte split id, a 4-byte fingerprint and share bytes");
        }
        if (threshold < Shamir.MIN_SHARES || threshold > total || total > Shamir.MAX_SHARES || index < 1 || index > total) {
            throw new IllegalArgumentException("a share needs 2 <= threshold <= total <= 255 and 1 <= index <= total");
        }
        if ((share[share.length - 1] & 0xff) == 0) {
            throw new IllegalArgumentException("a share's x coordinate cannot be 0");
        }
        splitId = splitId.clone();
        fingerprint = fingerprint.clone();
        share = share.clone();
    }

    @Override
    public byte[] splitId() {
        return splitId.clone();
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** The Shamir share as {@link Shamir#combine} and the npm package take it. */
    @Override
    public byte[] share() {
        return share.clone();
    }

    public String splitIdHex() {
        return Hex.encode(splitId);
    }

    public String fingerprintHex() {
        return Hex.encode(fingerprint);
    }

    /** The binary form, checksum included. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + share.length + CHECKSUM_BYTES);
        b.put((byte) version).put(splitId).put((byte) index).put((byte) threshold).put((byte) total)
                .put(fingerprint).put(share);
        b.putInt((int) crc32(b.array(), b.position()));
        return b.array();
    }

    /** Base32 in groups of five characters joined by '-', e.g. {@code 0C2RE-...}. */
    public String encode() {
        String plain = CrockfordBase32.encode(toBytes());
        StringBuilder sb = new StringBuilder(plain.length() + plain.length() / GROUP);
        for (int i = 0; i < plain.length(); i += GROUP) {
            if (i > 0) {
                sb.append('-');
            }
            sb.append(plain, i, Math.min(plain.length(), i + GROUP));
        }
        return sb.toString();
    }

    /** Reads a share written by {@link #encode} (case, spaces, hyphens, O/0 and I/L/1 forgiven). */
    public static BackupShare decode(String text) throws ShareException {
        if (text == null || text.isBlank()) {
            throw new ShareException(ShareError.SHARE_MALFORMED, "the share is empty");
        }
        long symbols = text.chars().filter(c -> c != '-' && !Character.isWhitespace(c)).count();
        if (symbols * 5 / 8 < HEADER_BYTES + 2 + CHECKSUM_BYTES) {
            throw new ShareException(ShareError.SHARE_MALFORMED, "the share is too short (" + symbols + " characters)");
        }
        byte[] bytes;
        try {
            bytes = CrockfordBase32.decode(text.strip());
        } catch (CrockfordBase32.UnusedBitsException e) {
            throw new ShareException(ShareError.SHARE_CHECKSUM, "the share fails its checksum: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ShareException(ShareError.SHARE_MALFORMED, e.getMessage());
        }
        if (bytes.length < HEADER_BYTES + 2 + CHECKSUM_BYTES) {
            throw new ShareException(ShareError.SHARE_MALFORMED, "the share is too short (" + bytes.length + " bytes)");
        }
        int body = bytes.length - CHECKSUM_BYTES;
        long stated = ByteBuffer.wrap(bytes, body, CHECKSUM_BYTES).getInt() & 0xffffffffL;
        if (crc32(bytes, body) != stated) {
            throw new ShareException(ShareError.SHARE_CHECKSUM,
                    "the share fails its checksum: a character is wrong, missing or swapped");
        }
        int version = bytes[0] & 0xff;
        if (version != VERSION) {
            throw new ShareException(ShareError.SHARE_MALFORMED, "share format version " + version + " is not supported");
        }
        try {
            return new BackupShare(version,
                    Arrays.copyOfRange(bytes, 1, 1 + SPLIT_ID_BYTES),
                    bytes[5] & 0xff, bytes[6] & 0xff, bytes[7] & 0xff,
                    Arrays.copyOfRange(bytes, 8, HEADER_BYTES),
                    Arrays.copyOfRange(bytes, HEADER_BYTES, body));
        } catch (IllegalArgumentException e) {
            throw new ShareException(ShareError.SHARE_MALFORMED, e.getMessage());
        }
    }

    private static long crc32(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return crc.getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupShare s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    /** Never prints the share bytes. */
    @Override
    public String toString() {
        return "BackupShare[split=" + splitIdHex() + ", " + index + " of " + total + ", threshold " + threshold
                + ", fingerprint=" + fingerprintHex() + "]";
    }
}
