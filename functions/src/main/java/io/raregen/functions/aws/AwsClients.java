package io.raregen.functions.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * Applies {@link AwsConfiguration} to any AWS SDK v2 synchronous client builder: region, credentials, the
 * JDK URL-connection HTTP client (the lightest to start on Lambda) and the endpoint override. Building a
 * client this way does no network work.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, AwsConfiguration aws) {
        builder.region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)));
        if (hasEndpoint(aws)) {
            builder.endpointOverride(URI.create(aws.endpoint()));
        }
        return builder;
    }

    private static AwsCredentialsProvider credentials(AwsConfiguration aws) {
        if (aws.accessKeyId() != null && !aws.accessKeyId().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        }
        if (hasEndpoint(aws)) {
            // ElasticMQ and LocalStack accept any signature; no credential lookup on the machine
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean hasEndpoint(AwsConfiguration aws) {
        return aws.endpoint() != null && !aws.endpoint().isBlank();
    }
}
