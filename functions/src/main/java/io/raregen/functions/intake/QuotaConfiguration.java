package io.raregen.functions.intake;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The per-identity publish quota ({@code raregen.intake.quota.*}): a token bucket per registered key, kept in
 * Postgres ({@code publish_quotas}) so every functions instance draws from the same one. Each new job takes one
 * token; a byte-identical retry of an accepted publish takes none. Over the limit: {@code 429 RATE_LIMITED} with
 * {@code Retry-After}.
 *
 * <p>A key that belongs to an account draws from its <em>account's</em> bucket instead ({@code account_quotas}), so an
 * account's rate does not grow with its number of keys.
 *
 * @param enabled      off: no quota, and the insert statements are the ones without it (default on)
 * @param rate         tokens a key of no account regains per second (default 10)
 * @param burst        most tokens such a key holds, its first publishes included (default 200)
 * @param accountRate  tokens an account regains per second, shared by all its keys (default 20)
 * @param accountBurst most tokens an account holds (default 400)
 */
@ConfigurationProperties("raregen.intake.quota")
public record QuotaConfiguration(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "10") double rate,
        @Bindable(defaultValue = "200") int burst,
        @Bindable(defaultValue = "20") double accountRate,
        @Bindable(defaultValue = "400") int accountBurst) {

    public QuotaConfiguration {
        if (!(rate > 0) || burst < 1 || !(accountRate > 0) || accountBurst < 1) {
            throw new IllegalArgumentException("raregen.intake.quota needs rates > 0 and bursts >= 1, not rate=" + rate
                    + " burst=" + burst + " account-rate=" + accountRate + " account-burst=" + accountBurst);
        }
    }
}
