package io.raregen.broadcaster.funding;

import io.raregen.broadcaster.web.ProblemException;

/** A funding request was refused; {@link #code()} is stable and machine-readable. */
public class FundingException extends ProblemException {

    public FundingException(String code, int httpStatus, String message) {
        super(code, httpStatus, message);
    }
}
