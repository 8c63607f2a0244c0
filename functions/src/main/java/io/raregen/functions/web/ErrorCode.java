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
    JOB_NOT_FAILED(HttpStatus.CONFLICT, "Only a failed job can be retried"),
    JOB_NOT_RETRYABLE(HttpStatus.CONFLICT, "Job holds a signed transaction and is never re-queued"),
    PARAMETER_INVALID(HttpStatus.BAD_REQUEST, "Query parameter out of range"),
    RECEIPT_UNAVAILABLE(HttpStatus.CONFLICT, "Job was accepted before receipts existed"),
    BATCH_ID_INVALID(HttpStatus.BAD_REQUEST, "Batch id is malformed"),
    BATCH_NOT_FOUND(HttpStatus.NOT_FOUND, "No such batch"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Operator token missing or wrong"),
    OPERATOR_DISABLED(HttpStatus.FORBIDDEN, "No operator token is configured"),
    CALLBACK_INVALID(HttpStatus.BAD_REQUEST, "ARC callback body is malformed"),
    CALLBACK_UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "ARC callback token missing or wrong"),
    CALLBACKS_DISABLED(HttpStatus.FORBIDDEN, "No ARC callback token is configured"),
    PUBKEY_PATH_MISMATCH(HttpStatus.BAD_REQUEST, "The path's public key is not the key that signed the request"),
    BACKUP_SHARE_INVALID(HttpStatus.BAD_REQUEST, "The encrypted backup share is malformed"),
    BACKUP_SHARE_NOT_FOUND(HttpStatus.NOT_FOUND, "No backup share is stored for this key"),
    BACKUP_SHARE_STALE(HttpStatus.CONFLICT, "A request signed later already changed this backup share"),
    EVENT_ID_INVALID(HttpStatus.BAD_REQUEST, "Last-Event-ID is not an event id"),
    EVENT_ID_FUTURE(HttpStatus.BAD_REQUEST, "Last-Event-ID was never handed out by this service"),
    WEBHOOK_URL_INVALID(HttpStatus.BAD_REQUEST, "Webhook URL is malformed, has user info, or does not resolve"),
    WEBHOOK_URL_NOT_HTTPS(HttpStatus.BAD_REQUEST, "Webhook URL must use https"),
    WEBHOOK_URL_FORBIDDEN(HttpStatus.BAD_REQUEST, "Webhook URL points at a private, loopback, link-local or otherwise non-public address"),
    WEBHOOK_NOT_FOUND(HttpStatus.NOT_FOUND, "No such webhook for this key"),
    WEBHOOK_LIMIT(HttpStatus.CONFLICT, "The key already has the most active webhooks allowed"),
    WEBHOOK_ID_INVALID(HttpStatus.BAD_REQUEST, "Webhook id is not a UUID"),
    EMAIL_INVALID(HttpStatus.BAD_REQUEST, "Not an email address this service accepts"),
    OTP_INVALID(HttpStatus.UNAUTHORIZED, "Sign-in code wrong, expired or used up; ask for a new one"),
    SESSION_INVALID(HttpStatus.UNAUTHORIZED, "Session token missing, unknown, expired or revoked"),
    SESSION_NOT_FOUND(HttpStatus.NOT_FOUND, "No such live session of this account"),
    SESSION_ID_INVALID(HttpStatus.BAD_REQUEST, "Session id is not a UUID"),
    MAIL_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "The mail service did not take the message; try again"),
    ACCOUNT_ID_INVALID(HttpStatus.BAD_REQUEST, "Account id is not a UUID"),
    ACCOUNT_NOT_FOUND(HttpStatus.NOT_FOUND, "No such account"),
    CREDITS_INVALID(HttpStatus.BAD_REQUEST, "Credits must be a whole number from 1 to 1,000,000,000"),
    PLAN_NAME_INVALID(HttpStatus.BAD_REQUEST, "Plan name must be 1-32 characters of a-z, 0-9 and '-', starting with a letter"),
    PLAN_NOT_FOUND(HttpStatus.NOT_FOUND, "No such plan"),
    DEPOSITS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Top-ups are not available yet: no deposit terms are published"),
    CREDITS_EXHAUSTED(HttpStatus.PAYMENT_REQUIRED, "The key's account has no credits left"),
    IDENTITY_OTHER_ACCOUNT(HttpStatus.FORBIDDEN, "The key belongs to another account"),
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Cannot produce the requested media type"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"),
    CHARSET_UNSUPPORTED(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Request charset must be UTF-8"),
    BODY_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large"),
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT, "Request not received in time"),
    URI_TOO_LONG(HttpStatus.REQUEST_URI_TOO_LONG, "Request line too long"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests; retry after the time in Retry-After"),
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
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> STORAGE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
