package io.raregen.localchain.arc;

/** A request that cannot be processed at all (answered with one RFC 7807 object, not per transaction). */
final class BadRequestException extends Exception {
    private final int status;

    BadRequestException(String detail) {
        this(400, detail);
    }

    BadRequestException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    int status() {
        return status;
    }
}
