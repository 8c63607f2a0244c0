package io.raregen.functions.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * GET /v1/ops/series: one point per minute, oldest first. Nulls are written out (not omitted): a chart
 * draws a gap where a minute had nothing to measure.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SeriesView(int stepSeconds, Instant from, Instant to, long poolAlertThreshold, List<Point> points) {

    /**
     * Figures of the minute starting at {@code t}.
     *
     * @param accepted     jobs created (publish accepted)
     * @param sent         jobs whose sent_at falls in the minute
     * @param mined        transitions to mined
     * @param failed       transitions to failed (a job retried since still counts where it failed)
     * @param batches      batches claimed
     * @param avgBatchSize mean jobs per batch claimed; null without batches
     * @param latencyP50Ms accept → sent percentiles over the jobs sent in the minute; null when none was sent
     * @param poolDepth    usable publish UTXOs at the minute's last broadcaster sample; null without a sample
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Point(Instant t, long accepted, long sent, long mined, long failed, long batches,
                        @Nullable Double avgBatchSize, @Nullable Double latencyP50Ms, @Nullable Double latencyP90Ms,
                        @Nullable Double latencyP99Ms, @Nullable Long poolDepth) {
    }
}
