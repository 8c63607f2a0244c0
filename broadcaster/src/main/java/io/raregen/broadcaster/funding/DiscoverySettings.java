package io.raregen.broadcaster.funding;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Optional discovery of funding outputs ({@code raregen.funding.discovery.*}); off by default. */
@ConfigurationProperties("raregen.funding.discovery")
public class DiscoverySettings {
    private boolean enabled = false;
    /** WhatsOnChain API base; the network segment (main/test) is appended. */
    private String baseUrl = "https://api.whatsonchain.com/v1/bsv";
    /** Optional WhatsOnChain API key (header woc-api-key); a secret, never logged. */
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(10);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
