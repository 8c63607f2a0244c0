package io.raregen.broadcaster.store;

/** The database refused or failed a pipeline write; the caller's in-memory state is not committed. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
