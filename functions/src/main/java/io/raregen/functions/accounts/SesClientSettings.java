package io.raregen.functions.accounts;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.raregen.functions.aws.AwsConfiguration;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

import java.time.Duration;

/**
 * The SES client Micronaut Email sends with: region from {@code raregen.aws.region} like every other client of the
 * functions (the SDK's own provider chain finds none outside AWS), the light URL-connection HTTP client, the
 * Lambda role's credentials. The endpoint override ({@code raregen.aws.endpoint}) is the queue's and is not applied.
 * Building it does no network work.
 */
@Factory
@Requires(property = "ses.enabled", value = "true")
public class SesClientSettings {

    @Singleton
    SesClient sesClient(AwsConfiguration aws) {
        return SesClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .build();
    }
}
