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
 * @param insertGroups    how many such group statements run at once (default 1), each for its own share of the
 *                        keys. More overlap the statements but make them smaller: on two cores 2 gave a worse
 *                        p99 (57–66 ms against 48–52 ms, docs/benchmarks/functions.md); a host with more cores may
 *                        differ
 */
@ConfigurationProperties("raregen.intake")
public record IntakeConfiguration(
        @Bindable(defaultValue = "100000") int maxPayloadBytes,
        @Bindable(defaultValue = "5m") Duration ttl,
        @Bindable(defaultValue = "64") int insertBatchMax,
        @Bindable(defaultValue = "1") int insertGroups) {

    public IntakeConfiguration {
        if (insertBatchMax < 1) {
            throw new IllegalArgumentException("raregen.intake.insert-batch-max must be at least 1, not " + insertBatchMax);
        }
        if (insertGroups < 1) {
            throw new IllegalArgumentException("raregen.intake.insert-groups must be at least 1, not " + insertGroups);
        }
    }
}
