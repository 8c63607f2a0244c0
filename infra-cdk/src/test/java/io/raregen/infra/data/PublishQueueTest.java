package io.raregen.infra.data;

import static io.raregen.infra.Json.map;
import static io.raregen.infra.Json.only;
import static io.raregen.infra.Json.props;
import static io.raregen.infra.Json.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.ResourceNames;
import io.raregen.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class PublishQueueTest {

    private static Template template;
    private static Map<String, Object> queue;
    private static Map<String, Object> dlq;
    private static String dlqId;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().data());
        queue = props(only(template, "AWS::SQS::Queue", "QueueName", ResourceNames.QUEUE).getValue());
        Map.Entry<String, Object> dlqEntry = only(template, "AWS::SQS::Queue", "QueueName", ResourceNames.DLQ);
        dlqId = dlqEntry.getKey();
        dlq = props(dlqEntry.getValue());
    }

    @Test
    void publishQueue_redrivesToTheDlq_afterAtLeastFiveReceives() {
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
        assertTrue(((Number) redrive.get("maxReceiveCount")).intValue() >= 5);
        assertEquals(dlqId, target(redrive.get("deadLetterTargetArn")));
    }

    @Test
    void dlq_keepsMessagesLongerThanTheSourceQueue() {
        // a message moved to the DLQ keeps its original enqueue timestamp
        long source = ((Number) queue.get("MessageRetentionPeriod")).longValue();
        long dead = ((Number) dlq.get("MessageRetentionPeriod")).longValue();
        assertTrue(dead > source, "DLQ " + dead + " s must exceed source " + source + " s");
        assertEquals(14 * 24 * 3600, dead);
    }

    @Test
    void visibilityTimeout_coversTheBatchWindowAndProcessingTwice() {
        PublishQueue.PublishQueueProps defaults = PublishQueue.PublishQueueProps.defaults(TestApps.defaults().data().key());
        long window = defaults.batchWindow().toSeconds().longValue();
        long processing = defaults.maxBatchProcessing().toSeconds().longValue();
        long visibility = ((Number) queue.get("VisibilityTimeout")).longValue();
        assertTrue(visibility >= 2 * (window + processing), "visibility " + visibility);
        assertTrue(visibility <= 12 * 3600, "SQS maximum");
    }

    @Test
    void bothQueues_areEncryptedWithTheCustomerManagedDataKey() {
        Map<String, Object> keys = io.raregen.infra.Json.resources(template, "AWS::KMS::Key");
        assertEquals(1, keys.size(), "one data key in the data stack");
        String keyId = keys.keySet().iterator().next();
        assertEquals(keyId, target(queue.get("KmsMasterKeyId")));
        assertEquals(keyId, target(dlq.get("KmsMasterKeyId")));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void bothQueues_denyRequestsWithoutTls() {
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 2);
    }

    @Test
    void props_rejectADlqRetentionNotLongerThanTheSource() {
        var key = TestApps.defaults().data().key();
        assertThrows(IllegalArgumentException.class, () -> new PublishQueue.PublishQueueProps(
                key, Duration.seconds(5), Duration.seconds(25), Duration.days(4), Duration.days(4)));
        assertNotNull(PublishQueue.PublishQueueProps.defaults(key));
    }
}
