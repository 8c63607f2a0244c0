package io.raregen.core.envelope;

/** An envelope was rejected; {@link #code()} says why in a stable form. */
public final class EnvelopeException extends Exception {
    private final RejectionCode code;

    public EnvelopeException(RejectionCode code, String message) {
        super(message);
        this.code = code;
    }

    public EnvelopeException(RejectionCode code) {
        this(code, code.description());
    }

    public RejectionCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "EnvelopeException[" + code + ": " + getMessage() + "]";
    }
}
