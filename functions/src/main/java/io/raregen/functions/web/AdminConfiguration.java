package io.raregen.functions.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Operator settings ({@code raregen.admin.*}).
 *
 * @param token bearer token for operator endpoints and admin-mode registration; unset disables them
 */
@ConfigurationProperties("raregen.admin")
public record AdminConfiguration(@Nullable String token) {

    @Override
    public String toString() {
        return "AdminConfiguration[token=" + (token == null || token.isBlank() ? "unset" : "***") + "]";
    }
}
