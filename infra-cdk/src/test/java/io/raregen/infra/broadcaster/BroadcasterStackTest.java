package io.raregen.infra.broadcaster;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.map;
import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.raregen.infra.ResourceNames;
import io.raregen.infra.ResourceNames.Env;
import io.raregen.infra.ResourceNames.Metrics;
import io.raregen.infra.TestApps;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class BroadcasterStackTest {

    /** The broadcaster's secrets with the default configuration (no arcProviders). */
    static final Set<String> SECRETS = Set.of(Env.DATASOURCE_USERNAME, Env.DATASOURCE_PASSWORD, Env.ARC_TOKEN, Env.POOL_WIF,
            Env.FUNDING_WIF, Env.ADMIN_TOKEN, Env.ARC_CALLBACK_TOKEN);
    /** Its plain environment with the default configuration: one ARC provider at RAREGEN_ARC_URL, no routing. */
    static final Set<String> SINGLE_PROVIDER_ENV = Set.of(Env.DATASOURCE_URL, Env.QUEUE_URL, Env.QUEUE_DLQ_URL, Env.AWS_REGION,
            Env.ARC_URL, Env.NETWORK, Env.HEADERS_URL, Env.HEADERS_HEIGHT_URL, Env.FEE_FALLBACK_SATOSHIS, Env.FEE_FALLBACK_BYTES,
            Env.REPLENISHER_MIN_POOL_SIZE, Env.REPLENISHER_SPLIT_BATCH_SIZE, Env.REPLENISHER_ALERT_THRESHOLD, "JAVA_TOOL_OPTIONS",
            Env.RETENTION_ARCHIVE_BUCKET, Env.RETENTION_ARCHIVE_PREFIX, Env.RETENTION_AFTER);

    private static Template template;
    private static Map<String, Object> app;
    private static Map<String, Object> sidecar;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().broadcaster());
        Map<String, Object> tasks = io.raregen.infra.Json.resources(template, "AWS::ECS::TaskDefinition");
        assertEquals(1, tasks.size());
        List<Object> containers = list(props(tasks.values().iterator().next()).get("ContainerDefinitions"));
        app = containers.stream().map(c -> map(c)).filter(c -> BroadcasterStack.CONTAINER.equals(c.get("Name")))
                .findFirst().orElseThrow();
        sidecar = containers.stream().map(c -> map(c)).filter(c -> BroadcasterStack.METRICS_CONTAINER.equals(c.get("Name")))
                .findFirst().orElseThrow();
    }

    @Test
    void service_isFargate_oneTaskByDefault_rollingBackFailedDeploys() {
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "LaunchType", "FARGATE",
                "DesiredCount", 1,
                "EnableExecuteCommand", true,
                "DeploymentConfiguration", Match.objectLike(Map.of(
                        "MinimumHealthyPercent", 100,
                        "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true))),
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of(
                        "AssignPublicIp", "DISABLED"))))));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Match.objectLike(Map.of(
                "MinCapacity", 1, "MaxCapacity", 4)));
    }

    @Test
    void container_isHealthCheckedOnHealth() {
        Map<String, Object> check = map(app.get("HealthCheck"));
        List<Object> command = list(check.get("Command"));
        assertEquals("CMD-SHELL", command.get(0));
        String shell = (String) command.get(1);
        assertTrue(shell.contains("/" + ResourceNames.BROADCASTER_PORT) && shell.contains("GET /health "), shell);
        assertTrue(((Number) check.get("StartPeriod")).intValue() >= 60, "time for Flyway before the first check");
        assertEquals(List.of(Map.of("ContainerPort", ResourceNames.BROADCASTER_PORT, "Protocol", "tcp")), app.get("PortMappings"));
    }

    @Test
    void healthCommand_passesOn200_andFailsOn503_orNoListener() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] status = {200};
        server.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try {
            assertEquals(0, runHealth(port), "200 is healthy");
            status[0] = 503;
            assertNotEquals(0, runHealth(port), "503 is unhealthy");
        } finally {
            server.stop(0);
        }
        assertNotEquals(0, runHealth(port), "nothing listening is unhealthy");
    }

    private static int runHealth(int port) throws Exception {
        String command = BroadcasterStack.healthCommand().replace("/" + ResourceNames.BROADCASTER_PORT, "/" + port);
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void secrets_comeFromSecretsManager_neverAsPlainEnvironment() {
        Set<String> secretNames = list(app.get("Secrets")).stream().map(s -> (String) map(s).get("Name")).collect(Collectors.toSet());
        assertEquals(SECRETS, secretNames);
        Set<String> envNames = list(app.get("Environment")).stream().map(e -> (String) map(e).get("Name")).collect(Collectors.toSet());
        for (String secret : secretNames) {
            assertFalse(envNames.contains(secret), secret + " must not be a plain environment variable");
        }
        assertTrue(envNames.containsAll(List.of(Env.DATASOURCE_URL, Env.QUEUE_URL, Env.AWS_REGION, Env.ARC_URL, Env.NETWORK)));
        assertFalse(envNames.contains(Env.AWS_ENDPOINT), "unset in AWS: the SDK uses the real endpoints");
        assertFalse(envNames.contains(Env.ARC_CALLBACK_URL), "no callbacks until -c arcCallbackUrl is given");
        Map<String, Object> env = list(app.get("Environment")).stream().map(e -> map(e))
                .collect(Collectors.toMap(e -> (String) e.get("Name"), e -> e.get("Value")));
        assertEquals("100", env.get(Env.FEE_FALLBACK_SATOSHIS));
        assertEquals("1000", env.get(Env.FEE_FALLBACK_BYTES));
        assertEquals("50000", env.get(Env.REPLENISHER_MIN_POOL_SIZE));
        assertEquals("10000", env.get(Env.REPLENISHER_ALERT_THRESHOLD), "the same threshold as the CloudWatch alarm");
        assertEquals("main", env.get(Env.NETWORK));
        String password = String.valueOf(list(app.get("Secrets")).stream().map(s -> map(s))
                .filter(s -> Env.DATASOURCE_PASSWORD.equals(s.get("Name"))).findFirst().orElseThrow().get("ValueFrom"));
        assertTrue(password.endsWith(":password::]]}"), "the password field of the generated secret: " + password);
        String wif = String.valueOf(list(app.get("Secrets")).stream().map(s -> map(s))
                .filter(s -> Env.POOL_WIF.equals(s.get("Name"))).findFirst().orElseThrow().get("ValueFrom"));
        assertTrue(wif.endsWith(":" + ResourceNames.FIELD_POOL_WIF + "::]]}"), "the field of the JSON secret: " + wif);
    }

    @Test
    void withoutArcProviders_theEnvironmentIsTheSingleProviderOne() {
        Set<String> envNames = list(app.get("Environment")).stream().map(e -> (String) map(e).get("Name")).collect(Collectors.toSet());
        assertEquals(SINGLE_PROVIDER_ENV, envNames);
        String arcToken = String.valueOf(list(app.get("Secrets")).stream().map(s -> map(s))
                .filter(s -> Env.ARC_TOKEN.equals(s.get("Name"))).findFirst().orElseThrow().get("ValueFrom"));
        assertTrue(arcToken.endsWith(":" + ResourceNames.FIELD_ARC_TOKEN + "::]]}"), arcToken);
    }

    @Test
    void logs_goToCloudWatch() {
        for (Map<String, Object> container : List.of(app, sidecar)) {
            assertEquals("awslogs", map(container.get("LogConfiguration")).get("LogDriver"));
        }
        template.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 90)));
    }

    @Test
    void image_isTheJibTag_inEcr_soSynthNeedsNoDocker() {
        String image = String.valueOf(app.get("Image"));
        assertTrue(image.contains("Raregen-dev-Registry") && image.endsWith(":0.1.0-SNAPSHOT]]}"), image);
    }

    @Test
    void metricsSidecar_isOptional_andShipsTheRaregenMetricsByStage() {
        assertEquals(false, sidecar.get("Essential"));
        String config = flatten(list(sidecar.get("Environment")).stream().map(e -> map(e))
                .filter(e -> "AOT_CONFIG_CONTENT".equals(e.get("Name"))).findFirst().orElseThrow().get("Value"));
        Map<String, Object> parsed = new Yaml().load(config);
        Map<String, Object> scrape = map(list(map(map(map(parsed.get("receivers")).get("prometheus")).get("config"))
                .get("scrape_configs")).get(0));
        assertEquals(ResourceNames.BROADCASTER_METRICS_PATH, scrape.get("metrics_path"));
        assertEquals(List.of("127.0.0.1:" + ResourceNames.BROADCASTER_PORT),
                map(list(scrape.get("static_configs")).get(0)).get("targets"));
        Map<String, Object> emf = map(map(parsed.get("exporters")).get("awsemf"));
        assertEquals(Metrics.NAMESPACE, emf.get("namespace"));
        assertEquals(List.of(List.of(Metrics.STAGE_DIMENSION), List.of(Metrics.STAGE_DIMENSION, Metrics.STATUS_DIMENSION),
                        List.of(Metrics.STAGE_DIMENSION, Metrics.PROVIDER_DIMENSION)),
                map(list(emf.get("metric_declarations")).get(0)).get("dimensions"));
    }

    /** A string, or an Fn::Join whose references (the log group name) become a placeholder. */
    private static String flatten(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return list(list(map(value).get("Fn::Join")).get(1)).stream()
                .map(part -> part instanceof String s ? s : "REF").collect(Collectors.joining());
    }

    @Test
    void taskRole_consumesTheQueue_butCannotSendToIt() {
        String policies = String.valueOf(io.raregen.infra.Json.resources(template, "AWS::IAM::Policy"));
        assertTrue(policies.contains("sqs:ReceiveMessage") && policies.contains("sqs:DeleteMessage"));
        assertFalse(policies.contains("sqs:SendMessage"));
    }

    @Test
    void service_scalesOnBacklogPerTask_notOnCpu() {
        Map<String, Object> policies = io.raregen.infra.Json.resources(template, "AWS::ApplicationAutoScaling::ScalingPolicy");
        assertEquals(2, policies.size(), "one step policy = a lower and an upper step policy: " + policies.keySet());
        assertFalse(String.valueOf(policies).contains("ECSServiceAverageCPUUtilization"), "no CPU target tracking");
        for (Object p : policies.values()) {
            assertEquals("StepScaling", props(p).get("PolicyType"));
        }
        Map<String, Object> alarms = io.raregen.infra.Json.resources(template, "AWS::CloudWatch::Alarm");
        assertEquals(2, alarms.size());
        for (Object a : alarms.values()) {
            String metrics = String.valueOf(props(a).get("Metrics"));
            assertTrue(metrics.contains("visible / IF(tasks < 1, 1, tasks)"), metrics);
            assertTrue(metrics.contains("ApproximateNumberOfMessagesVisible") && metrics.contains("RunningTaskCount"), metrics);
        }
        String steps = String.valueOf(policies);
        assertTrue(steps.contains("ScalingAdjustment=-1") && steps.contains("ScalingAdjustment=1")
                && steps.contains("ScalingAdjustment=2"), steps);
    }

    @Test
    void dlqDepth_isReadable_andConfigured() {
        assertTrue(String.valueOf(app.get("Environment")).contains(io.raregen.infra.ResourceNames.Env.QUEUE_DLQ_URL));
        String policies = String.valueOf(io.raregen.infra.Json.resources(template, "AWS::IAM::Policy"));
        assertTrue(policies.contains("sqs:GetQueueAttributes"), policies);
    }

    @Test
    void finishedHistory_goesToTheArchiveBucket_after90Days_whichTheTaskMayReadAndWrite() {
        Map<String, Object> env = list(app.get("Environment")).stream().map(e -> map(e))
                .collect(Collectors.toMap(e -> (String) e.get("Name"), e -> e.get("Value")));
        assertEquals("P90D", env.get(Env.RETENTION_AFTER));
        String bucket = String.valueOf(env.get(Env.RETENTION_ARCHIVE_BUCKET));
        assertTrue(bucket.contains("HistoryArchiveBucket"), "the data stack's archive bucket: " + bucket);
        String policies = String.valueOf(io.raregen.infra.Json.resources(template, "AWS::IAM::Policy"));
        assertEquals(BroadcasterStack.ARCHIVE_PREFIX, env.get(Env.RETENTION_ARCHIVE_PREFIX));
        assertTrue(policies.contains("Action=[s3:PutObject, s3:GetObject]"), "write and read back, nothing else: " + policies);
        assertTrue(policies.contains("/" + BroadcasterStack.ARCHIVE_PREFIX + "/*"), "under the prefix only: " + policies);
        assertFalse(policies.contains("s3:DeleteObject"), policies);
    }
}
