package io.raregen.infra.monitoring;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.map;
import static io.raregen.infra.Json.props;
import static io.raregen.infra.Json.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.ResourceNames.Metrics;
import io.raregen.infra.TestApps;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class MonitoringStackTest {

    private static Template template;
    private static Map<String, Object> alarms;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().monitoring());
        alarms = io.raregen.infra.Json.resources(template, "AWS::CloudWatch::Alarm");
    }

    private static Map<String, Object> alarm(String suffix) {
        return alarms.values().stream().map(a -> props(a))
                .filter(p -> ("raregen-dev-" + suffix).equals(p.get("AlarmName")))
                .findFirst().orElseThrow(() -> new AssertionError("no alarm raregen-dev-" + suffix));
    }

    @Test
    void poolDepthAlarm_firesBelowTenThousand_fromTheBroadcasterMetric() {
        Map<String, Object> a = alarm("pool-depth-low");
        assertEquals(Metrics.POOL_PUBLISH_AVAILABLE, a.get("MetricName"));
        assertEquals(Metrics.NAMESPACE, a.get("Namespace"));
        assertEquals(10_000, ((Number) a.get("Threshold")).intValue());
        assertEquals("LessThanThreshold", a.get("ComparisonOperator"));
        assertEquals(java.util.List.of(Map.of("Name", Metrics.STAGE_DIMENSION, "Value", "dev")), a.get("Dimensions"));
        assertTrue(a.containsKey("InsufficientDataActions"), "a silent metric pages too");
    }

    @Test
    void dlqAlarm_firesOnTheFirstMessage() {
        Map<String, Object> a = alarm("dlq-not-empty");
        assertEquals("ApproximateNumberOfMessagesVisible", a.get("MetricName"));
        assertEquals(1, ((Number) a.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", a.get("ComparisonOperator"));
        assertTrue(String.valueOf(a.get("Dimensions")).contains("PublishQueueDlq"), "on the DLQ, not the source queue");
    }

    @Test
    void broadcastFailuresAlarm_firesAtFiveInARow() {
        Map<String, Object> a = alarm("broadcast-failures");
        assertEquals(Metrics.CONSECUTIVE_BROADCAST_FAILURES, a.get("MetricName"));
        assertEquals(5, ((Number) a.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", a.get("ComparisonOperator"));
    }

    @Test
    void providersDownAlarm_firesWhenNoProviderIsAvailableForTwoMinutes() {
        Map<String, Object> a = alarm("providers-down");
        assertEquals(Metrics.PROVIDERS_AVAILABLE, a.get("MetricName"));
        assertEquals(1, ((Number) a.get("Threshold")).intValue());
        assertEquals("LessThanThreshold", a.get("ComparisonOperator"));
        assertEquals(120, ((Number) a.get("Period")).intValue() * ((Number) a.get("EvaluationPeriods")).intValue());
    }

    @Test
    void historyDefaultPartitionAlarm_firesWhenRowsStayInTheDefaultPartitionForAnHour() {
        Map<String, Object> a = alarm("history-default-partition");
        assertEquals(Metrics.HISTORY_DEFAULT_ROWS, a.get("MetricName"));
        assertEquals(1, ((Number) a.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", a.get("ComparisonOperator"));
        assertEquals(3600, ((Number) a.get("Period")).intValue() * ((Number) a.get("EvaluationPeriods")).intValue());
    }

    @Test
    void stuckJobsAlarm_firesWhenAnyJobIsStuckForTenMinutes() {
        Map<String, Object> a = alarm("stuck-jobs");
        assertEquals(Metrics.STUCK_JOBS, a.get("MetricName"));
        assertEquals(1, ((Number) a.get("Threshold")).intValue());
        assertEquals(600, ((Number) a.get("Period")).intValue() * ((Number) a.get("EvaluationPeriods")).intValue());
    }

    @Test
    void api5xxAlarm_isARate_notACount() {
        Map<String, Object> a = alarm("api-5xx-rate");
        String metrics = String.valueOf(a.get("Metrics"));
        assertTrue(metrics.contains("100 * errors / requests"), metrics);
        assertTrue(metrics.contains("5xx") && metrics.contains("Count"), metrics);
        assertEquals(1.0, ((Number) a.get("Threshold")).doubleValue());
    }

    @Test
    void broadcasterUnhealthyAlarm_firesWhenFewerTasksRunThanDesired() {
        Map<String, Object> a = alarm("broadcaster-unhealthy");
        assertEquals("RunningTaskCount", a.get("MetricName"));
        assertEquals("ECS/ContainerInsights", a.get("Namespace"));
        assertEquals(1, ((Number) a.get("Threshold")).intValue());
        assertEquals("LessThanThreshold", a.get("ComparisonOperator"));
        assertEquals("breaching", a.get("TreatMissingData"), "no data means no task");
    }

    @Test
    void everyAlarm_notifiesTheTopic_onAlarmAndRecovery() {
        String topicId = io.raregen.infra.Json.resources(template, "AWS::SNS::Topic").keySet().iterator().next();
        assertTrue(alarms.size() >= 6);
        for (Object alarm : alarms.values()) {
            Map<String, Object> p = props(alarm);
            assertEquals(topicId, target(list(p.get("AlarmActions")).get(0)), String.valueOf(p.get("AlarmName")));
            assertEquals(topicId, target(list(p.get("OKActions")).get(0)));
            assertTrue(String.valueOf(p.get("AlarmDescription")).contains("docs/OPERATIONS.md#"), "every alarm names its runbook");
        }
    }

    @Test
    void topic_isEncrypted_andTlsOnly() {
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(java.util.List.of(
                        Match.objectLike(Map.of("Effect", "Deny",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        String keyPolicy = String.valueOf(io.raregen.infra.Json.resources(template, "AWS::KMS::Key"));
        assertTrue(keyPolicy.contains("cloudwatch.amazonaws.com"), "CloudWatch may publish to the encrypted topic");
    }

    @Test
    void dashboard_showsThePoolThePipelineTheApiAndTheDatabase() {
        Map<String, Object> dashboards = io.raregen.infra.Json.resources(template, "AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size());
        Map<String, Object> p = props(dashboards.values().iterator().next());
        assertEquals("raregen-dev", p.get("DashboardName"));
        String body = String.valueOf(p.get("DashboardBody"));
        for (String metric : Metrics.ALL) {
            assertTrue(body.contains(metric), "dashboard shows " + metric);
        }
        for (String metric : new String[] {Metrics.INTAKE_ACCEPTED, Metrics.INTAKE_REPLAYED, Metrics.INTAKE_ENQUEUE_FAILURES}) {
            assertTrue(body.contains(metric), "dashboard shows the functions' EMF counter " + metric);
        }
        for (String aws : new String[] {"ApproximateAgeOfOldestMessage", "5xx", "RunningTaskCount", "CPUUtilization", "DatabaseConnections"}) {
            assertTrue(body.contains(aws), "dashboard shows " + aws);
        }
        assertFalse(body.isBlank());
        map(p);
    }

    @Test
    void everyFunction_hasAnErrorsAndAThrottlesAlarm() {
        for (String kind : java.util.List.of("intake", "verification", "status")) {
            Map<String, Object> errors = alarm("lambda-" + kind + "-errors");
            assertEquals("Errors", errors.get("MetricName"));
            assertEquals("AWS/Lambda", errors.get("Namespace"));
            assertEquals(MonitoringStack.LAMBDA_ERRORS, ((Number) errors.get("Threshold")).intValue());
            assertEquals("Sum", errors.get("Statistic"));
            assertTrue(String.valueOf(errors.get("Dimensions")).contains(
                    kind.substring(0, 1).toUpperCase() + kind.substring(1) + "Function"), String.valueOf(errors.get("Dimensions")));
            Map<String, Object> throttles = alarm("lambda-" + kind + "-throttles");
            assertEquals("Throttles", throttles.get("MetricName"));
            assertEquals(1, ((Number) throttles.get("Threshold")).intValue());
            assertEquals(2, ((Number) throttles.get("EvaluationPeriods")).intValue());
            assertTrue(throttles.containsKey("AlarmActions") && errors.containsKey("AlarmActions"));
        }
    }
}
