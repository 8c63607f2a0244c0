package io.raregen.functions.queue;

import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.time.Duration;

/** Builds SQS clients from {@link AwsConfiguration}; building does no network work. */
@Singleton
public class SqsClientFactory {

    private final AwsConfiguration aws;

    public SqsClientFactory(AwsConfiguration aws) {
        this.aws = aws;
    }

    public SqsClient create() {
        SqsClientBuilder builder = SqsClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)));
        if (aws.endpoint() != null && !aws.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(aws.endpoint()));
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (aws.accessKeyId() != null && !aws.accessKeyId().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        }
        if (aws.endpoint() != null && !aws.endpoint().isBlank()) {
            // ElasticMQ and LocalStack accept any signature; no credential lookup on the machine
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
