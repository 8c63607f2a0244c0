package io.raregen.functions.secrets;

/**
 * A configured secret could not be read or lacks a field. Thrown while the application context is built, so
 * the process (on Lambda: the init phase) fails instead of serving with missing credentials. Messages name
 * the secret and the field, never a value.
 */
public class SecretsUnavailableException extends RuntimeException {

    public SecretsUnavailableException(String message) {
        super(message);
    }

    public SecretsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
