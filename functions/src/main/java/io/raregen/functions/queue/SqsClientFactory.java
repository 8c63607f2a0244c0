package io.raregen.functions.queue;

import io.raregen.functions.aws.AwsClients;
import io.raregen.functions.aws.AwsConfiguration;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds SQS clients from {@link AwsConfiguration}; building does no network work. */
@Singleton
public class SqsClientFactory {

    private final AwsConfiguration aws;

    public SqsClientFactory(AwsConfiguration aws) {
        this.aws = aws;
    }

    public SqsClient create() {
        return AwsClients.configure(SqsClient.builder(), aws).build();
    }
}
