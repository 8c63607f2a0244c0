package io.raregen.broadcaster.funding;

/** A funding request was refused; {@link #code()} is stable and machine-readable. */
public class FundingException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public FundingException(String code, int httpStatus, String message) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
