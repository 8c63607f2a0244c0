package io.raregen.broadcaster.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.raregen.core.http.BearerToken;
import jakarta.inject.Singleton;

/**
 * The operator token ({@code raregen.admin.token}, the API's operator token) on every pool endpoint of this port,
 * reads included: the pool's figures and funding address are operator data. Unset disables them.
 */
@Singleton
public class OperatorToken {

    private final BearerToken token;

    public OperatorToken(@Value("${raregen.admin.token:}") String configured) {
        this.token = BearerToken.of(configured);
    }

    /** Throws 403 OPERATOR_DISABLED without a configured token, 401 UNAUTHORIZED unless the header carries it. */
    public void require(@Nullable String authorizationHeader) {
        if (!token.isConfigured()) {
            throw new ProblemException("OPERATOR_DISABLED", 403, "operator endpoints are off: set raregen.admin.token");
        }
        if (!token.matches(authorizationHeader)) {
            throw new ProblemException("UNAUTHORIZED", 401, "send the operator token as 'Authorization: Bearer <token>'");
        }
    }

    @Override
    public String toString() {
        return "OperatorToken[" + token + "]";
    }
}
