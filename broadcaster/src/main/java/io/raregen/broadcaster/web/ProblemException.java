package io.raregen.broadcaster.web;

/** A refused request on the broadcaster's port, answered as a problem document with a stable {@link #code()}. */
public class ProblemException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public ProblemException(String code, int httpStatus, String message) {
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
