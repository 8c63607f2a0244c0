package io.raregen.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API answered with an error (an RFC 7807 problem with a stable {@code code}) or could not be
 * reached ({@code status} 0, code {@code API_UNREACHABLE}).
 */
public final class ApiException extends Exception {
    private final int status;
    private final String code;
    private final JsonNode body;

    public ApiException(int status, String code, String message, JsonNode body) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public JsonNode body() {
        return body;
    }
}
