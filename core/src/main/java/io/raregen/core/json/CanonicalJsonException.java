package io.raregen.core.json;

/** The input is not JSON that RFC 8785 can canonicalise. */
public final class CanonicalJsonException extends Exception {
    public CanonicalJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
