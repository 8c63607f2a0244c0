package io.raregen.broadcaster.receive;

import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS queue the intake announces jobs on: its client and URL. */
public record Queue(SqsClient sqs, String url) {
}
