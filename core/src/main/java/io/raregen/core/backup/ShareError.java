package io.raregen.core.backup;

/** Why shares were refused; the code string is the enum name (the CLI prints it, the web app should too). */
public enum ShareError {
    /** Not a share: a character outside the alphabet, a wrong length or an unknown version. */
    SHARE_MALFORMED,
    /** The share's checksum fails: a character was mistyped, swapped or left out. */
    SHARE_CHECKSUM,
    /** The same share (same split, same index) was given twice. */
    SHARE_DUPLICATE,
    /** Shares of different splits (another backup, or another key) were mixed. */
    SHARE_MIXED_SPLITS,
    /** Shares of one set claim different thresholds or totals. */
    SHARE_THRESHOLD_MISMATCH,
    /** Fewer shares than the split's threshold. */
    SHARE_TOO_FEW,
    /** The rebuilt key does not reproduce the public key the shares (or the service) name. */
    KEY_MISMATCH;
}
