package io.raregen.broadcaster.broadcast;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The ARC endpoint ({@code raregen.arc.*}): where {@link ArcTransactionBroadcaster} sends, and the common settings
 * of every provider ({@code providers/ProviderSettings}). The token is a secret: never logged.
 */
@ConfigurationProperties("raregen.arc")
public class ArcSettings {
    /** ARC base URL (the single provider's when no {@code raregen.arc.providers.*} is configured). */
    private String url = "http://127.0.0.1:9090";
    /** Sent as {@code Authorization: Bearer}; unset: none. */
    private String token;
    /** ARC status to wait for before answering (X-WaitFor). */
    private String waitFor = "ACCEPTED_BY_NETWORK";
    /** X-MaxTimeout in seconds (ARC allows at most 30). */
    private int maxTimeoutSeconds = 5;
    /** X-CallbackUrl sent with every broadcast; unset: no callbacks, mined only by polling. */
    private String callbackUrl;
    /** X-CallbackToken: ARC sends it back as {@code Authorization: Bearer}. */
    private String callbackToken;
    /** X-CallbackBatch: ARC gathers callbacks ({"count", "callbacks": [...]}, up to 50 a request) instead of one POST each. */
    private boolean callbackBatch = true;
    /** json: [{"rawTx": efHex}]; octet-stream: concatenated EF bytes. */
    private String bodyFormat = "json";
    /** Most transactions in one {@code POST /v1/txs}. */
    private int maxTxsPerRequest = 500;
    /** Most bytes in one request body. */
    private int maxRequestBytes = 8 * 1024 * 1024;
    /** HTTP connect timeout. */
    private Duration connectTimeout = Duration.ofSeconds(5);
    /** Added to X-MaxTimeout for the whole HTTP exchange. */
    private Duration requestTimeoutMargin = Duration.ofSeconds(10);

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getWaitFor() { return waitFor; }
    public void setWaitFor(String waitFor) { this.waitFor = waitFor; }
    public int getMaxTimeoutSeconds() { return maxTimeoutSeconds; }
    public void setMaxTimeoutSeconds(int maxTimeoutSeconds) { this.maxTimeoutSeconds = maxTimeoutSeconds; }
    public String getCallbackUrl() { return callbackUrl; }
    public void setCallbackUrl(String callbackUrl) { this.callbackUrl = callbackUrl; }
    public String getCallbackToken() { return callbackToken; }
    public void setCallbackToken(String callbackToken) { this.callbackToken = callbackToken; }
    public boolean isCallbackBatch() { return callbackBatch; }
    public void setCallbackBatch(boolean callbackBatch) { this.callbackBatch = callbackBatch; }
    /** Whether broadcasts ask ARC for status callbacks (a callback URL is set). */
    public boolean callbacksRequested() { return callbackUrl != null && !callbackUrl.isBlank(); }
    public String getBodyFormat() { return bodyFormat; }
    public void setBodyFormat(String bodyFormat) { this.bodyFormat = bodyFormat; }
    public int getMaxTxsPerRequest() { return maxTxsPerRequest; }
    public void setMaxTxsPerRequest(int maxTxsPerRequest) { this.maxTxsPerRequest = maxTxsPerRequest; }
    public int getMaxRequestBytes() { return maxRequestBytes; }
    public void setMaxRequestBytes(int maxRequestBytes) { this.maxRequestBytes = maxRequestBytes; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getRequestTimeoutMargin() { return requestTimeoutMargin; }
    public void setRequestTimeoutMargin(Duration requestTimeoutMargin) { this.requestTimeoutMargin = requestTimeoutMargin; }

    /** These settings for another endpoint: its url and token, and its X-MaxTimeout when given. */
    public ArcSettings forEndpoint(String endpointUrl, String endpointToken, Integer endpointMaxTimeoutSeconds) {
        ArcSettings p = new ArcSettings();
        p.url = endpointUrl;
        p.token = endpointToken;
        p.waitFor = waitFor;
        p.maxTimeoutSeconds = endpointMaxTimeoutSeconds != null ? endpointMaxTimeoutSeconds : maxTimeoutSeconds;
        p.callbackUrl = callbackUrl;
        p.callbackToken = callbackToken;
        p.callbackBatch = callbackBatch;
        p.bodyFormat = bodyFormat;
        p.maxTxsPerRequest = maxTxsPerRequest;
        p.maxRequestBytes = maxRequestBytes;
        p.connectTimeout = connectTimeout;
        p.requestTimeoutMargin = requestTimeoutMargin;
        return p;
    }

    @Override
    public String toString() {
        return "ArcSettings[url=" + url + ", waitFor=" + waitFor + ", token=" + (token == null ? "unset" : "***") + "]";
    }
}
