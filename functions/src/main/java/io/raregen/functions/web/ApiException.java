package io.raregen.functions.web;

import io.raregen.core.envelope.EnvelopeException;
import io.raregen.core.envelope.RejectionCode;

/** A failure with a stable machine-readable code, answered as an RFC 7807 problem by {@link ProblemHandler}. */
public class ApiException extends RuntimeException {

    private final String code;
    private final int status;
    private final String title;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public ApiException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code.name();
        this.status = code.status().getCode();
        this.title = code.title();
    }

    private ApiException(RejectionCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code.name();
        this.status = code.httpStatus();
        this.title = "Envelope rejected";
    }

    /** Carries a core envelope rejection unchanged: same code, same HTTP status. */
    public static ApiException rejected(EnvelopeException e) {
        return new ApiException(e.code(), e.getMessage(), e);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
