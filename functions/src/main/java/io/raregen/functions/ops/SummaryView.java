package io.raregen.functions.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** GET /v1/ops/summary: the figures of now. Nulls are written out. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SummaryView(Pool pool, Funding funding, @Nullable Long dlqDepth, long failedJobs) {

    /**
     * Publish UTXOs now: available (clean), reserved, satoshis available; the broadcaster's alert threshold.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pool(long available, long reserved, long availableSatoshis, long alertThreshold) {
    }

    /** The funding address (null until the broadcaster has sampled the pool once) and its available satoshis. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Funding(@Nullable String address, long balanceSatoshis) {
    }
}
