package io.raregen.functions.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Identity settings ({@code raregen.identity.*}).
 *
 * @param registrationMode {@code open} (default; local runs), {@code admin} (bearer operator token required) or
 *                         {@code account} (a session required; the AWS default)
 */
@ConfigurationProperties("raregen.identity")
public record IdentityConfiguration(@Bindable(defaultValue = "OPEN") RegistrationMode registrationMode) {
}
