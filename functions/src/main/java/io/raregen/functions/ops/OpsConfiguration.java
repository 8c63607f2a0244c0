package io.raregen.functions.ops;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Operator history settings ({@code raregen.ops.*}).
 *
 * @param dlqUrl              URL of the publish queue's dead-letter queue; unset = {@code dlqDepth} is null
 * @param poolAlertThreshold  the pool alert threshold shown until the broadcaster has written its first pool
 *                            sample (which carries its own {@code raregen.replenisher.alert-threshold}); default 1000,
 *                            the broadcaster's default
 */
@ConfigurationProperties("raregen.ops")
public record OpsConfiguration(
        @Nullable String dlqUrl,
        @Bindable(defaultValue = "1000") long poolAlertThreshold) {
}
