package io.raregen.functions.intake;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The per-identity publish quota ({@code raregen.intake.quota.*}): a token bucket per registered key, kept in
 * Postgres ({@code publish_quotas}) so every functions instance draws from the same one. Each new job takes one
 * token; a byte-identical retry of an accepted publish takes none. Over the limit: {@code 429 RATE_LIMITED} with
 * {@code Retry-After}.
 *
 * @param enabled off: no quota, and the insert statements are the ones without it (default on)
 * @param rate    tokens a key regains per second (default 10)
 * @param burst   most tokens a key holds, its first publishes included (default 200)
 */
@ConfigurationProperties("raregen.intake.quota")
public record QuotaConfiguration(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "10") double rate,
        @Bindable(defaultValue = "200") int burst) {

    public QuotaConfiguration {
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("raregen.intake.quota needs rate > 0 and burst >= 1, not rate=" + rate + " burst=" + burst);
        }
    }
}
