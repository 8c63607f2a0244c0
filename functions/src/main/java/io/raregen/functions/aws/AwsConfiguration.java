package io.raregen.functions.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * AWS client settings ({@code raregen.aws.*}).
 *
 * @param endpoint        endpoint override (ElasticMQ, LocalStack); unset on AWS
 * @param region          region (default us-east-1)
 * @param accessKeyId     static credentials; when unset and an endpoint override is set, dummy ones are used,
 *                        otherwise the SDK's default chain (the Lambda role)
 * @param secretAccessKey see accessKeyId; never logged
 */
@ConfigurationProperties("raregen.aws")
public record AwsConfiguration(
        @Nullable String endpoint,
        @Bindable(defaultValue = "us-east-1") String region,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey) {

    @Override
    public String toString() {
        return "AwsConfiguration[endpoint=" + endpoint + ", region=" + region + ", credentials="
                + (accessKeyId == null ? "default chain" : "static ***") + "]";
    }
}
