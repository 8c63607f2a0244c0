package io.raregen.functions.web;

/** The database could not be reached or answered with an error; the request may be retried. */
public class StorageException extends ApiException {

    public StorageException(String what, Throwable cause) {
        super(ErrorCode.STORAGE_UNAVAILABLE, "Database unavailable while " + what, cause);
    }
}
