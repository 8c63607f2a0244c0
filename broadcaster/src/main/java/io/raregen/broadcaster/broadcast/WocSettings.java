package io.raregen.broadcaster.broadcast;

import io.micronaut.context.annotation.ConfigurationProperties;

/** The WhatsOnChain fallback ({@code raregen.woc.*}) for outcomes ARC left unknown ({@link WocTransactionBroadcaster}). */
@ConfigurationProperties("raregen.woc")
public class WocSettings {
    /** Off by default: ARC's answer stands. */
    private boolean enabled = false;
    /** WhatsOnChain base URL. */
    private String url = "https://api.whatsonchain.com";
    /** main, test or stn (the path segment). */
    private String network = "main";
    /** Optional API key; unset: the keyless limit. */
    private String apiKey;
    /** WhatsOnChain allows 3 requests/s without a key. */
    private double requestsPerSecond = 3.0;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getNetwork() { return network; }
    public void setNetwork(String network) { this.network = network; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public double getRequestsPerSecond() { return requestsPerSecond; }
    public void setRequestsPerSecond(double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }

    @Override
    public String toString() {
        return "WocSettings[enabled=" + enabled + ", url=" + url + ", network=" + network + "]";
    }
}
