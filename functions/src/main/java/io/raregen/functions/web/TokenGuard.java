package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.http.BearerToken;

/** A bearer token check that answers with this API's codes. */
public final class TokenGuard {

    private TokenGuard() {
    }

    /** Throws {@code disabled} when no token is configured, {@code unauthorized} when the header does not carry it. */
    public static void require(BearerToken token, @Nullable String authorizationHeader, ErrorCode disabled, String disabledDetail,
                               ErrorCode unauthorized, String unauthorizedDetail) {
        if (!token.isConfigured()) {
            throw new ApiException(disabled, disabledDetail);
        }
        if (!token.matches(authorizationHeader)) {
            throw new ApiException(unauthorized, unauthorizedDetail);
        }
    }
}
