package io.raregen.functions.web;

import io.micronaut.http.HttpStatus;

/**
 * Error codes this application adds to the envelope rejection codes of core
 * ({@code io.raregen.core.envelope.RejectionCode}); both appear in a problem's {@code code} field.
 */
public enum ErrorCode {
    IDENTITY_UNKNOWN(HttpStatus.FORBIDDEN, "Public key is not registered"),
    IDENTITY_REVOKED(HttpStatus.FORBIDDEN, "Public key has been revoked"),
    IDENTITY_NOT_FOUND(HttpStatus.NOT_FOUND, "No such identity"),
    PUBKEY_INVALID(HttpStatus.BAD_REQUEST, "Public key is not a compressed secp256k1 point"),
    NONCE_REUSED(HttpStatus.CONFLICT, "Nonce already used with a different payload"),
    JOB_ID_INVALID(HttpStatus.BAD_REQUEST, "Job id is not a ULID"),
    JOB_NOT_FOUND(HttpStatus.NOT_FOUND, "No such job"),
    NOT_YET_SIGNED(HttpStatus.CONFLICT, "Job has no signed transaction yet"),
    JOB_FAILED(HttpStatus.CONFLICT, "Job failed before a transaction was signed"),
    RECEIPT_UNAVAILABLE(HttpStatus.CONFLICT, "Job was accepted before receipts existed"),
    BATCH_ID_INVALID(HttpStatus.BAD_REQUEST, "Batch id is malformed"),
    BATCH_NOT_FOUND(HttpStatus.NOT_FOUND, "No such batch"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Operator token missing or wrong"),
    OPERATOR_DISABLED(HttpStatus.FORBIDDEN, "No operator token is configured"),
    CALLBACK_INVALID(HttpStatus.BAD_REQUEST, "ARC callback body is malformed"),
    CALLBACK_UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "ARC callback token missing or wrong"),
    CALLBACKS_DISABLED(HttpStatus.FORBIDDEN, "No ARC callback token is configured"),
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Cannot produce the requested media type"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"),
    BODY_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large"),
    STORAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The code a framework-produced error of this status gets. */
    static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> BODY_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> STORAGE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
