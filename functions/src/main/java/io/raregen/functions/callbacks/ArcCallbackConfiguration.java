package io.raregen.functions.callbacks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * ARC callback settings ({@code raregen.arc.*}).
 *
 * @param callbackToken the token the broadcaster sends ARC as {@code X-CallbackToken}; ARC returns it as
 *                      {@code Authorization: Bearer}. Unset disables {@code POST /v1/callbacks/arc}. Never logged.
 */
@ConfigurationProperties("raregen.arc")
public record ArcCallbackConfiguration(@Nullable String callbackToken) {

    @Override
    public String toString() {
        return "ArcCallbackConfiguration[callbackToken=" + (callbackToken == null || callbackToken.isBlank() ? "unset" : "***") + "]";
    }
}
