package io.raregen.functions.intake;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Envelope acceptance rules ({@code raregen.intake.*}), shared by publish, registration and verify.
 *
 * @param maxPayloadBytes largest accepted signedPayload in UTF-8 bytes (default 100,000)
 * @param ttl             how far createdAt may lie in the past or future (default 5 minutes)
 */
@ConfigurationProperties("raregen.intake")
public record IntakeConfiguration(
        @Bindable(defaultValue = "100000") int maxPayloadBytes,
        @Bindable(defaultValue = "5m") Duration ttl) {
}
