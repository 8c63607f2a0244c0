#!/bin/bash
# Creates the publish queue and its dead-letter queue, as infra-cdk's PublishQueue does in AWS:
# raregen-publish redrives to raregen-publish-dlq after 5 receives; the DLQ keeps messages longer.
set -euo pipefail

QUEUE=raregen-publish
DLQ=raregen-publish-dlq
MAX_RECEIVE_COUNT=5

# 14 days in the DLQ, 4 days on the queue; visibility 60 s = 2 x (5 s batch window + 25 s processing)
dlq_url=$(awslocal sqs create-queue --queue-name "$DLQ" \
  --attributes MessageRetentionPeriod=1209600 \
  --query QueueUrl --output text)
dlq_arn=$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)

cat > /tmp/raregen-queue-attributes.json <<JSON
{
  "MessageRetentionPeriod": "345600",
  "VisibilityTimeout": "60",
  "ReceiveMessageWaitTimeSeconds": "20",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$MAX_RECEIVE_COUNT\"}"
}
JSON
queue_url=$(awslocal sqs create-queue --queue-name "$QUEUE" \
  --attributes file:///tmp/raregen-queue-attributes.json \
  --query QueueUrl --output text)

echo "raregen: queue $queue_url -> DLQ $dlq_url (maxReceiveCount $MAX_RECEIVE_COUNT)"
