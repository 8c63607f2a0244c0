package io.raregen.infra.broadcaster;

import io.raregen.infra.ResourceNames;
import io.raregen.infra.ResourceNames.Env;
import io.raregen.infra.ResourceNames.Metrics;
import io.raregen.infra.data.DataStack;
import io.raregen.infra.network.NetworkStack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.MetricAggregationType;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionProps;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.MetricProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateServiceProps;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateTaskDefinitionProps;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The broadcaster on ECS Fargate: one long-running task by default (scalable), health-checked on
 * {@code /health}, logs to CloudWatch, secrets injected by ECS from Secrets Manager, Prometheus metrics
 * shipped to CloudWatch by an OpenTelemetry collector sidecar.
 *
 * <p>It is also the migrator: Flyway runs at its start under Flyway's Postgres advisory lock, and CloudFormation
 * waits for the new task to be healthy (so migrated) before the API stack, which depends on this one, updates.
 */
public class BroadcasterStack extends Stack {

    public static final String CONTAINER = "broadcaster";
    public static final String METRICS_CONTAINER = "metrics-collector";

    private final Cluster cluster;
    private final FargateService service;
    private final LogGroup metricsLogGroup;

    /** The key prefix of the broadcaster's objects in the history archive bucket. */
    public static final String ARCHIVE_PREFIX = "raregen-archive";

    public BroadcasterStack(Construct scope, String id, StackProps props, NetworkStack network, DataStack data,
                            BroadcasterProps broadcaster) {
        super(scope, id, props);

        cluster = new Cluster(this, "Cluster", ClusterProps.builder()
                .vpc(network.vpc())
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build());

        FargateTaskDefinition task = new FargateTaskDefinition(this, "Task", FargateTaskDefinitionProps.builder()
                .cpu(1024)
                .memoryLimitMiB(2048)
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        // Jib builds linux/amd64 unless told otherwise
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .build());

        LogGroup logs = new LogGroup(this, "Logs", LogGroupProps.builder()
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());

        Map<String, String> env = new LinkedHashMap<>();
        env.put(Env.DATASOURCE_URL, data.database().instanceJdbcUrl());
        env.put(Env.QUEUE_URL, data.queue().queue().getQueueUrl());
        env.put(Env.QUEUE_DLQ_URL, data.queue().deadLetterQueue().getQueueUrl());
        env.put(Env.AWS_REGION, getRegion());
        env.put(Env.ARC_URL, broadcaster.arcUrl());
        if (broadcaster.arcCallbackUrl() != null && !broadcaster.arcCallbackUrl().isBlank()) {
            // the API's POST /v1/callbacks/arc; known after the API stack's first deploy (infra-cdk/README.md)
            env.put(Env.ARC_CALLBACK_URL, broadcaster.arcCallbackUrl());
        }
        env.put(Env.NETWORK, broadcaster.network());
        // merkle paths from ARC are checked against WhatsOnChain's headers before a job is marked mined
        String woc = "https://api.whatsonchain.com/v1/bsv/" + ("main".equals(broadcaster.network()) ? "main" : "test");
        env.put(Env.HEADERS_URL, woc + "/block/hash/{hash}");
        env.put(Env.HEADERS_HEIGHT_URL, woc + "/block/height/{height}");
        env.put(Env.FEE_FALLBACK_SATOSHIS, Long.toString(broadcaster.feeFallbackSatsPerKb()));
        env.put(Env.FEE_FALLBACK_BYTES, "1000");
        env.put(Env.REPLENISHER_MIN_POOL_SIZE, Long.toString(broadcaster.replenishMinDepth()));
        env.put(Env.REPLENISHER_SPLIT_BATCH_SIZE, Long.toString(broadcaster.splitBatchSize()));
        // the broadcaster's raregen_utxo_pool_low gauge and the CloudWatch alarm use the same threshold
        env.put(Env.REPLENISHER_ALERT_THRESHOLD, Long.toString(broadcaster.poolAlarmThreshold()));
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70");
        // finished days of history leave the database for the archive bucket (docs/OPERATIONS.md)
        env.put(Env.RETENTION_ARCHIVE_BUCKET, data.archive().bucket().getBucketName());
        env.put(Env.RETENTION_ARCHIVE_PREFIX, ARCHIVE_PREFIX);
        env.put(Env.RETENTION_AFTER, broadcaster.historyRetention());
        // several ARC providers (arcProviders); none = the single provider at RAREGEN_ARC_URL, as before
        for (ArcProvider p : broadcaster.arcProviders()) {
            env.put(p.urlEnv(), p.url());
            env.put(p.priorityEnv(), Integer.toString(p.priority()));
        }
        // only what differs from the broadcaster's defaults (primary-with-failover, every provider)
        if (broadcaster.arcRouting() != ArcRouting.PRIMARY_WITH_FAILOVER) {
            env.put(Env.ARC_ROUTING_POLICY, broadcaster.arcRouting().value());
        }
        if (broadcaster.arcSendTo() != 0) {
            env.put(Env.ARC_ROUTING_SEND_TO, Integer.toString(broadcaster.arcSendTo()));
        }

        // ECS fetches these at task start with the execution role; they never appear in the task definition
        Map<String, Secret> secrets = new LinkedHashMap<>();
        secrets.put(Env.DATASOURCE_USERNAME, Secret.fromSecretsManager(data.database().secret(), "username"));
        secrets.put(Env.DATASOURCE_PASSWORD, Secret.fromSecretsManager(data.database().secret(), "password"));
        secrets.put(Env.ARC_TOKEN, Secret.fromSecretsManager(data.secrets().arcToken(), ResourceNames.FIELD_ARC_TOKEN));
        // one JSON field per provider in the same secret; a missing field stops the task from starting (README)
        for (ArcProvider p : broadcaster.arcProviders()) {
            secrets.put(p.tokenEnv(), Secret.fromSecretsManager(data.secrets().arcToken(), p.tokenField()));
        }
        secrets.put(Env.ARC_CALLBACK_TOKEN, Secret.fromSecretsManager(data.secrets().arcCallbackToken(),
                ResourceNames.FIELD_ARC_CALLBACK_TOKEN));
        secrets.put(Env.POOL_WIF, Secret.fromSecretsManager(data.secrets().poolWif(), ResourceNames.FIELD_POOL_WIF));
        secrets.put(Env.FUNDING_WIF, Secret.fromSecretsManager(data.secrets().fundingWif(), ResourceNames.FIELD_FUNDING_WIF));
        // the operator endpoints on :8081 (raregen pool fund) check the same admin token as the API
        secrets.put(Env.ADMIN_TOKEN, Secret.fromSecretsManager(data.secrets().adminToken(), ResourceNames.FIELD_ADMIN_TOKEN));

        task.addContainer(CONTAINER, ContainerDefinitionOptions.builder()
                .image(image(broadcaster))
                .essential(true)
                .environment(env)
                .secrets(secrets)
                .portMappings(List.of(PortMapping.builder().containerPort(ResourceNames.BROADCASTER_PORT).build()))
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", healthCommand()))
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        // Flyway may migrate before the HTTP port opens
                        .startPeriod(Duration.seconds(120))
                        .build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logs)
                        .streamPrefix("broadcaster")
                        .build()))
                // give in-flight batches time to finish broadcasting on SIGTERM (deploys, scale-in)
                .stopTimeout(Duration.seconds(60))
                .build());

        metricsLogGroup = new LogGroup(this, "MetricsLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        task.addContainer(METRICS_CONTAINER, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(broadcaster.metricsSidecarImage()))
                // losing metrics must not stop publishing
                .essential(false)
                .memoryReservationMiB(128)
                .environment(Map.of("AOT_CONFIG_CONTENT",
                        collectorConfig(broadcaster.stage(), metricsLogGroup.getLogGroupName())))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logs)
                        .streamPrefix("metrics-collector")
                        .build()))
                .build());
        metricsLogGroup.grantWrite(task.getTaskRole());

        data.queue().queue().grantConsumeMessages(task.getTaskRole());
        // the archive: write an object, read it back to compare; nothing else (no list, no delete)
        task.getTaskRole().addToPrincipalPolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:GetObject"))
                .resources(List.of(data.archive().bucket().arnForObjects(ARCHIVE_PREFIX + "/*")))
                .build());
        data.key().grant(task.getTaskRole(), "kms:GenerateDataKey", "kms:Decrypt");
        // raregen_dlq_messages: the depth only, never a message
        data.queue().deadLetterQueue().grant(task.getTaskRole(), "sqs:GetQueueAttributes");

        service = new FargateService(this, "Service", FargateServiceProps.builder()
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(broadcaster.desiredCount())
                // a new task (which migrates) must be healthy before an old one stops
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .assignPublicIp(false)
                .vpcSubnets(SubnetSelection.builder().subnetGroupName(NetworkStack.APP_SUBNETS).build())
                .securityGroups(List.of(network.broadcasterSecurityGroup()))
                // ECS Exec: the operator's way to :8081 (port forwarding through SSM; no load balancer, no
                // inbound rule). Who may use it is decided by ecs:ExecuteCommand in the operators' IAM policies.
                .enableExecuteCommand(true)
                .build());

        // a queue worker scales on the work waiting per task, not on CPU: a task waiting for ARC's shared rate
        // limit (the bucket in Postgres) uses little CPU while the backlog grows; more tasks share the signing
        ScalableTaskCount scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(broadcaster.desiredCount())
                .maxCapacity(broadcaster.maxCount())
                .build());
        scaling.scaleOnMetric("BacklogPerTaskScaling", BasicStepScalingPolicyProps.builder()
                .metric(backlogPerTask(data))
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(BACKLOG_SCALE_IN).change(-1).build(),
                        ScalingInterval.builder().lower(BACKLOG_SCALE_OUT).change(1).build(),
                        ScalingInterval.builder().lower(BACKLOG_SCALE_OUT * 5).change(2).build()))
                .evaluationPeriods(2)
                .cooldown(Duration.minutes(3))
                .metricAggregationType(MetricAggregationType.MAXIMUM)
                .build());
    }

    /** Messages waiting per running task above which a task is added (two more above five times this). */
    public static final int BACKLOG_SCALE_OUT = 1000;
    /** … and below which one is removed (never under the desired count). */
    public static final int BACKLOG_SCALE_IN = 100;

    /**
     * SQS visible messages divided by the service's running tasks (Container Insights), at least one task so
     * an empty service with a backlog still scales out.
     */
    private MathExpression backlogPerTask(DataStack data) {
        Metric tasks = new Metric(MetricProps.builder()
                .namespace("ECS/ContainerInsights")
                .metricName("RunningTaskCount")
                .dimensionsMap(Map.of("ClusterName", cluster.getClusterName(), "ServiceName", service.getServiceName()))
                .statistic("Average")
                .period(Duration.minutes(1))
                .build());
        return new MathExpression(MathExpressionProps.builder()
                .label("visible messages per running task")
                .expression("visible / IF(tasks < 1, 1, tasks)")
                .usingMetrics(Map.of(
                        "visible", data.queue().queue().metricApproximateNumberOfMessagesVisible(
                                MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build()),
                        "tasks", tasks))
                .period(Duration.minutes(1))
                .build());
    }

    /**
     * Where the image comes from. The default, an ECR tag pushed by {@code mvn jib:build}, needs no Docker
     * anywhere; a Jib tarball ({@code mvn jib:buildTar}) is simpler to wire but {@code cdk deploy} then needs
     * a Docker daemon to load and push it. See infra-cdk/README.md.
     */
    private ContainerImage image(BroadcasterProps broadcaster) {
        if (broadcaster.imageTarball() != null) {
            return ContainerImage.fromTarball(broadcaster.imageTarball());
        }
        return ContainerImage.fromEcrRepository(broadcaster.repository(), broadcaster.imageTag());
    }

    /**
     * HTTP GET /health with bash's /dev/tcp, so the check does not depend on curl or wget being in the
     * Jib base image (eclipse-temurin has bash). Healthy means a 200 status line.
     */
    static String healthCommand() {
        return "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + ResourceNames.BROADCASTER_PORT
                + " && printf \"GET " + ResourceNames.BROADCASTER_HEALTH_PATH
                + " HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n\" >&3"
                + " && head -n 1 <&3 | grep -q \" 200 \"' || exit 1";
    }

    /**
     * OpenTelemetry collector: scrape /prometheus every 30 s and write the raregen_* metrics to CloudWatch as
     * embedded metric format, namespace {@value Metrics#NAMESPACE}, dimension {@value Metrics#STAGE_DIMENSION}
     * (plus {@value Metrics#STATUS_DIMENSION} or {@value Metrics#PROVIDER_DIMENSION} where the metric has that label).
     */
    static String collectorConfig(String stage, String logGroupName) {
        return String.join("\n",
                "extensions:",
                "  health_check: {}",
                "receivers:",
                "  prometheus:",
                "    config:",
                "      scrape_configs:",
                "        - job_name: raregen-broadcaster",
                "          scrape_interval: 30s",
                "          metrics_path: " + ResourceNames.BROADCASTER_METRICS_PATH,
                "          static_configs:",
                "            - targets: ['127.0.0.1:" + ResourceNames.BROADCASTER_PORT + "']",
                "              labels:",
                "                " + Metrics.STAGE_DIMENSION + ": " + stage,
                "processors:",
                "  batch/metrics:",
                "    timeout: 30s",
                "exporters:",
                "  awsemf:",
                "    namespace: " + Metrics.NAMESPACE,
                "    log_group_name: " + logGroupName,
                "    dimension_rollup_option: NoDimensionRollup",
                "    metric_declarations:",
                // pool depth is labelled by UTXO status, the provider metrics by provider; the rest by the stage only
                "      - dimensions: [[" + Metrics.STAGE_DIMENSION + "], [" + Metrics.STAGE_DIMENSION + ", "
                        + Metrics.STATUS_DIMENSION + "], [" + Metrics.STAGE_DIMENSION + ", " + Metrics.PROVIDER_DIMENSION + "]]",
                "        metric_name_selectors: ['^raregen_.*']",
                "service:",
                "  extensions: [health_check]",
                "  pipelines:",
                "    metrics:",
                "      receivers: [prometheus]",
                "      processors: [batch/metrics]",
                "      exporters: [awsemf]",
                "");
    }

    public Cluster cluster() {
        return cluster;
    }

    public FargateService service() {
        return service;
    }

    /**
     * @param repository the ECR repository of {@link RegistryStack}; {@code imageTag} the tag Jib pushed
     * @param imageTarball optional Jib tarball used instead of the repository
     */
    public record BroadcasterProps(String stage, IRepository repository, String imageTag, String imageTarball,
                                   String arcUrl, String arcCallbackUrl, String network, long feeFallbackSatsPerKb,
                                   long replenishMinDepth, long splitBatchSize, long poolAlarmThreshold,
                                   int desiredCount, int maxCount, String metricsSidecarImage,
                                   List<ArcProvider> arcProviders, ArcRouting arcRouting, int arcSendTo,
                                   String historyRetention) {
    }
}
