package io.raregen.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** SQS ({@code raregen.queue.*} and {@code raregen.aws.*} share this shape through the factory). */
@ConfigurationProperties("raregen.queue")
public class QueueProperties {
    private String url;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
}
