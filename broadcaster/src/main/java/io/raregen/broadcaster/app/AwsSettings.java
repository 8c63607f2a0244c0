package io.raregen.broadcaster.app;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The AWS client ({@code raregen.aws.*}) the application's SQS client is built with ({@link BroadcasterFactory}):
 * the receivers, acks and the dead-letter gauge all share it.
 */
@ConfigurationProperties("raregen.aws")
public class AwsSettings {
    /** Endpoint override (ElasticMQ or LocalStack, with dummy static credentials); unset: AWS itself, default credentials. */
    private String endpoint;
    /** AWS region of the queue. */
    private String region = "us-east-1";

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
}
