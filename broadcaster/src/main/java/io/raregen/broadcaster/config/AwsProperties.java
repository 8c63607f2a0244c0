package io.raregen.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** AWS client settings ({@code raregen.aws.*}); an endpoint override means ElasticMQ or LocalStack. */
@ConfigurationProperties("raregen.aws")
public class AwsProperties {
    private String endpoint;
    private String region = "us-east-1";

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
}
