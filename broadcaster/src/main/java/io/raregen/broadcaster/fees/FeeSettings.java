package io.raregen.broadcaster.fees;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** The fee policy ({@code raregen.fees.*}): {@link ArcFeePolicy} reads ARC's /v1/policy and uses this fallback until it answers. */
@ConfigurationProperties("raregen.fees")
public class FeeSettings {
    /** The official TypeScript SDK's fallback: 100 sat per 1000 bytes (overpays rather than being refused). */
    private long fallbackSatoshis = 100;
    private long fallbackBytes = 1000;
    /** How often the policy is read again. */
    private Duration refreshInterval = Duration.ofMinutes(5);

    public long getFallbackSatoshis() { return fallbackSatoshis; }
    public void setFallbackSatoshis(long fallbackSatoshis) { this.fallbackSatoshis = fallbackSatoshis; }
    public long getFallbackBytes() { return fallbackBytes; }
    public void setFallbackBytes(long fallbackBytes) { this.fallbackBytes = fallbackBytes; }
    public Duration getRefreshInterval() { return refreshInterval; }
    public void setRefreshInterval(Duration refreshInterval) { this.refreshInterval = refreshInterval; }
}
