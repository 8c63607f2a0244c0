package io.raregen.core.envelope;

/** Stable, machine-readable reasons for rejecting a client envelope; the code string is the enum name. */
public enum RejectionCode {
    MALFORMED_JSON(400, "The request body is not a JSON object."),
    MISSING_FIELD(400, "A required field (signedPayload, signature, pubkey) is missing."),
    WRONG_FIELD_TYPE(400, "An envelope field is not a JSON string."),
    UNKNOWN_FIELD(400, "The envelope has a field other than signedPayload, signature and pubkey."),
    MODE_INVALID(400, "A publish request's mode is not \"record\" or \"anchor\"."),
    PAYLOAD_TOO_LARGE(413, "signedPayload is larger than the configured maximum."),
    PAYLOAD_NOT_JSON(400, "signedPayload is not valid JSON."),
    PAYLOAD_NOT_OBJECT(400, "signedPayload is JSON but not an object."),
    PAYLOAD_NOT_CANONICAL(400, "signedPayload is not byte-identical to its RFC 8785 canonical form."),
    SIGNATURE_MALFORMED(400, "signature is not canonical base64 of a strict DER ECDSA signature."),
    SIGNATURE_HIGH_S(400, "signature has a high S value; only low-S signatures are accepted."),
    SIGNATURE_INVALID(400, "signature does not verify for the payload and public key."),
    PUBKEY_INVALID(400, "pubkey is not 66 lower-case hex characters of a compressed point on secp256k1."),
    PUBKEY_MISMATCH(400, "The payload's pubkey differs from the envelope's pubkey."),
    TYPE_MISMATCH(400, "The payload's type is missing or not the one this endpoint accepts."),
    NONCE_INVALID(400, "nonce is missing or not a string of 1 to 128 characters [A-Za-z0-9._:-]."),
    CREATED_AT_INVALID(400, "createdAt is missing or not an RFC 3339 timestamp."),
    EXPIRED(400, "createdAt is older than the allowed time window."),
    NOT_YET_VALID(400, "createdAt is further in the future than the allowed time window."),
    RECORD_MISSING(400, "A publish payload has no record, or the record is null."),
    RECORD_ID_INVALID(400, "recordId is present but not a string of 1 to 256 characters.");

    private final int httpStatus;
    private final String description;

    RejectionCode(int httpStatus, String description) {
        this.httpStatus = httpStatus;
        this.description = description;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String description() {
        return description;
    }
}
