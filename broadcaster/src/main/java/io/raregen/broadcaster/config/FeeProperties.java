package io.raregen.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Fee policy ({@code raregen.fees.*}): read from ARC's /v1/policy, this fallback until it answers. */
@ConfigurationProperties("raregen.fees")
public class FeeProperties {
    /** The official TypeScript SDK's fallback: 100 sat per 1000 bytes (overpays rather than being refused). */
    private long fallbackSatoshis = 100;
    private long fallbackBytes = 1000;
    private Duration refreshInterval = Duration.ofMinutes(5);

    public long getFallbackSatoshis() { return fallbackSatoshis; }
    public void setFallbackSatoshis(long fallbackSatoshis) { this.fallbackSatoshis = fallbackSatoshis; }
    public long getFallbackBytes() { return fallbackBytes; }
    public void setFallbackBytes(long fallbackBytes) { this.fallbackBytes = fallbackBytes; }
    public Duration getRefreshInterval() { return refreshInterval; }
    public void setRefreshInterval(Duration refreshInterval) { this.refreshInterval = refreshInterval; }
}
