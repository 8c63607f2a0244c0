package io.raregen.broadcaster.headers;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The independent block header source ({@code raregen.headers.*}): before a job is marked mined its
 * merkle path must lead to the merkle root of a header fetched here, never from the ARC that sent
 * the path. Unset {@code url} turns the check (and the reorg watch) off.
 */
@ConfigurationProperties("raregen.headers")
public class HeaderSettings {
    /** Header of a block by hash; {@code {hash}} is replaced. Locally the chain's {@code /admin/blocks/{hash}}. */
    private String url;
    /** The block at a height ({@code {height}} replaced), for the reorg watch; unset: no reorg watch. */
    private String heightUrl;
    private Duration timeout = Duration.ofSeconds(10);
    /** Blocks fetched within this window are re-checked for still being on the chain. */
    private Duration reorgWindow = Duration.ofHours(6);
    private Duration reorgInterval = Duration.ofSeconds(30);
    /** Most blocks re-checked per round (least recently checked first). */
    private int reorgBatch = 20;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getHeightUrl() { return heightUrl; }
    public void setHeightUrl(String heightUrl) { this.heightUrl = heightUrl; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getReorgWindow() { return reorgWindow; }
    public void setReorgWindow(Duration reorgWindow) { this.reorgWindow = reorgWindow; }
    public Duration getReorgInterval() { return reorgInterval; }
    public void setReorgInterval(Duration reorgInterval) { this.reorgInterval = reorgInterval; }
    public int getReorgBatch() { return reorgBatch; }
    public void setReorgBatch(int reorgBatch) { this.reorgBatch = reorgBatch; }

    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    @Override
    public String toString() {
        return "HeaderSettings[url=" + url + ", heightUrl=" + heightUrl + "]";
    }
}
