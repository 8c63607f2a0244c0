package io.raregen.broadcaster.utxo;

/** The pool's database could not be read or written; the operation had no effect. */
public class PoolStorageException extends RuntimeException {
    public PoolStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
