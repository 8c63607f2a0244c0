package io.raregen.functions.web;

/** {@code 429 RATE_LIMITED}; {@link ProblemHandler} adds {@code Retry-After} with {@link #retryAfterSeconds()}. */
public class RateLimitedException extends ApiException {

    private final long retryAfterSeconds;

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, detail);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
