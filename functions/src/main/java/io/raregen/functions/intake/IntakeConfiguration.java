package io.raregen.functions.intake;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Envelope acceptance rules and job storage settings ({@code raregen.intake.*}), shared by publish,
 * registration and verify.
 *
 * @param maxPayloadBytes largest accepted signedPayload in UTF-8 bytes (default 100,000)
 * @param ttl             how far createdAt may lie in the past or future (default 5 minutes)
 * @param insertBatchMax  most job inserts that concurrent publish requests share in one statement
 *                        (default 64; 1 turns grouping off)
 */
@ConfigurationProperties("raregen.intake")
public record IntakeConfiguration(
        @Bindable(defaultValue = "100000") int maxPayloadBytes,
        @Bindable(defaultValue = "5m") Duration ttl,
        @Bindable(defaultValue = "64") int insertBatchMax) {

    public IntakeConfiguration {
        if (insertBatchMax < 1) {
            throw new IllegalArgumentException("raregen.intake.insert-batch-max must be at least 1, not " + insertBatchMax);
        }
    }
}
