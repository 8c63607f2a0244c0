package io.raregen.functions.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * CloudWatch embedded metric format output ({@code raregen.metrics.emf.*}); on in the Lambda environment.
 *
 * @param enabled   write EMF lines to stdout after each request that changed a {@code raregen.*} counter
 * @param namespace CloudWatch namespace (the broadcaster's metrics use the same)
 * @param stage     value of the {@code Stage} dimension; the CDK stack sets {@code RAREGEN_METRICS_EMF_STAGE}
 */
@ConfigurationProperties("raregen.metrics.emf")
public record EmfConfiguration(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "RareGen") String namespace,
        @Bindable(defaultValue = "local") String stage) {
}
