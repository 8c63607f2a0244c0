package io.raregen.broadcaster.receive;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The SQS queue the receivers long-poll ({@code raregen.queue.*}); the client's endpoint and region are
 * {@code raregen.aws.*}. The dead-letter queue ({@code raregen.queue.dlq-url}) is read only by the metrics.
 */
@ConfigurationProperties("raregen.queue")
public class QueueSettings {
    /** Queue URL; unset: no receivers (backlog claim and the loops only). */
    private String url;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
}
