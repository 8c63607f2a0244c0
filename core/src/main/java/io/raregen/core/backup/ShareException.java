package io.raregen.core.backup;

/** A refused share or set of shares, with a stable {@link ShareError} code. */
public final class ShareException extends Exception {
    private final ShareError error;

    public ShareException(ShareError error, String message) {
        super(message);
        this.error = error;
    }

    public ShareError error() {
        return error;
    }
}
