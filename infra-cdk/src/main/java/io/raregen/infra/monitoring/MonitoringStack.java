package io.raregen.infra.monitoring;

import io.raregen.infra.ResourceNames.Metrics;
import io.raregen.infra.api.ApiRoutes.ApiFunctionKind;
import io.raregen.infra.api.ApiStack;
import io.raregen.infra.broadcaster.BroadcasterStack;
import io.raregen.infra.data.DataStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.DashboardProps;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.GraphWidgetProps;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionProps;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.MetricProps;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TextWidgetProps;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.TopicProps;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The alarms of docs/OPERATIONS.md, the SNS topic they notify, and the operator dashboard.
 * Alarm names are {@code raregen-<stage>-<what>} so a page says which stage and which runbook section.
 */
public class MonitoringStack extends Stack {

    /** Failed invocations of one function in 5 minutes that page. */
    public static final int LAMBDA_ERRORS = 5;

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final String stage;

    public MonitoringStack(Construct scope, String id, StackProps props, DataStack data, ApiStack api,
                           BroadcasterStack broadcaster, MonitoringProps monitoring) {
        super(scope, id, props);
        this.stage = monitoring.stage();

        Key topicKey = new Key(this, "AlarmTopicKey", KeyProps.builder()
                .description("RareGen alarm notifications")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        // CloudWatch alarms publish to an encrypted topic only when the key lets CloudWatch use it
        topicKey.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        topic = new Topic(this, "AlarmTopic", TopicProps.builder()
                .displayName("RareGen " + stage + " alarms")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build());
        if (monitoring.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(monitoring.alarmEmail()));
        }

        Metric poolDepth = raregen(Metrics.POOL_PUBLISH_AVAILABLE, "Minimum", Duration.minutes(1));
        Alarm pool = alarm("pool-depth-low", poolDepth, CreateAlarmOptions.builder()
                .alarmDescription("Publish UTXO pool below " + monitoring.poolAlarmThreshold()
                        + " for 5 minutes: the replenisher is not keeping up or the funding UTXO is spent."
                        + " Runbook: docs/OPERATIONS.md#pool-depth-low")
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .threshold(monitoring.poolAlarmThreshold())
                .evaluationPeriods(5)
                .datapointsToAlarm(5)
                .treatMissingData(TreatMissingData.MISSING)
                .build());
        // no pool metric at all means the broadcaster or its metrics pipeline is down: say so
        pool.addInsufficientDataAction(new SnsAction(topic));

        alarm("dlq-not-empty", data.queue().deadLetterQueue().metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build()),
                CreateAlarmOptions.builder()
                        .alarmDescription("Messages in " + data.queue().deadLetterQueue().getQueueName()
                                + ": the broadcaster failed a job 5 times. Runbook: docs/OPERATIONS.md#dlq-not-empty")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .threshold(1)
                        .evaluationPeriods(1)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        alarm("broadcast-failures", raregen(Metrics.CONSECUTIVE_BROADCAST_FAILURES, "Maximum", Duration.minutes(1)),
                CreateAlarmOptions.builder()
                        .alarmDescription("5 or more broadcasts failed in a row: ARC down, token"
                                + " revoked, or fee policy wrong. Runbook: docs/OPERATIONS.md#broadcast-failures")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .threshold(5)
                        .evaluationPeriods(1)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        alarm("providers-down", raregen(Metrics.PROVIDERS_AVAILABLE, "Minimum", Duration.minutes(1)),
                CreateAlarmOptions.builder()
                        .alarmDescription("Every ARC provider's circuit breaker is open for 2 minutes: publication has"
                                + " stopped. Runbook: docs/OPERATIONS.md#providers-down")
                        .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                        .threshold(1)
                        .evaluationPeriods(2)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        alarm("stuck-jobs", raregen(Metrics.STUCK_JOBS, "Maximum", Duration.minutes(5)),
                CreateAlarmOptions.builder()
                        .alarmDescription("Jobs stuck in processing/signed beyond the recovery bound for 10 minutes"
                                + ". Runbook: docs/OPERATIONS.md#stuck-jobs")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .threshold(1)
                        .evaluationPeriods(2)
                        .datapointsToAlarm(2)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        alarm("history-default-partition", raregen(Metrics.HISTORY_DEFAULT_ROWS, "Maximum", Duration.minutes(5)),
                CreateAlarmOptions.builder()
                        .alarmDescription("History rows in a default partition for an hour: no day partition covered"
                                + " them. Runbook: docs/OPERATIONS.md#history-default-partition")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .threshold(1)
                        .evaluationPeriods(12)
                        .datapointsToAlarm(12)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        alarm("queue-backlog", data.queue().queue().metricApproximateAgeOfOldestMessage(
                        MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build()),
                CreateAlarmOptions.builder()
                        .alarmDescription("Oldest queued message older than 5 minutes: the broadcaster is not"
                                + " draining. Runbook: docs/OPERATIONS.md#queue-backlog")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .threshold(300)
                        .evaluationPeriods(3)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());

        MathExpression errorRate = new MathExpression(MathExpressionProps.builder()
                .label("5xx %")
                // below 20 requests in 5 minutes a single error is noise, not a rate
                .expression("IF(requests >= 20, 100 * errors / requests, 0)")
                .usingMetrics(Map.of(
                        "errors", api.httpApi().metricServerError(sum5m()),
                        "requests", api.httpApi().metricCount(sum5m())))
                .period(Duration.minutes(5))
                .build());
        alarm("api-5xx-rate", errorRate, CreateAlarmOptions.builder()
                .alarmDescription("More than " + monitoring.api5xxPercent() + " % of API requests answered 5xx"
                        + " for 10 minutes. Runbook: docs/OPERATIONS.md#api-5xx-rate")
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(monitoring.api5xxPercent())
                .evaluationPeriods(2)
                .datapointsToAlarm(2)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());

        Metric runningTasks = new Metric(MetricProps.builder()
                .namespace("ECS/ContainerInsights")
                .metricName("RunningTaskCount")
                .dimensionsMap(Map.of(
                        "ClusterName", broadcaster.cluster().getClusterName(),
                        "ServiceName", broadcaster.service().getServiceName()))
                .statistic("Minimum")
                .period(Duration.minutes(1))
                .build());
        alarm("broadcaster-unhealthy", runningTasks, CreateAlarmOptions.builder()
                .alarmDescription("Fewer healthy broadcaster tasks than desired for 3 minutes (failing /health is"
                        + " replaced by ECS). Runbook: docs/OPERATIONS.md#broadcaster-unhealthy")
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .threshold(monitoring.broadcasterDesiredCount())
                .evaluationPeriods(3)
                .treatMissingData(TreatMissingData.BREACHING)
                .build());

        alarm("db-storage-low", data.database().instance().metricFreeStorageSpace(
                        MetricOptions.builder().statistic("Minimum").period(Duration.minutes(5)).build()),
                CreateAlarmOptions.builder()
                        .alarmDescription("Postgres has under 10 GiB free (storage autoscaling has a ceiling)."
                                + " Runbook: docs/OPERATIONS.md#db-storage-low")
                        .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                        .threshold(10L * 1024 * 1024 * 1024)
                        .evaluationPeriods(2)
                        .build());

        // a function error is a crash or a timeout (handled failures are problem responses, not errors); a
        // throttle is a request refused for concurrency: both reach clients as 5xx/429 whatever the code does
        for (Map.Entry<ApiFunctionKind, Function> e : api.functions().entrySet()) {
            String kind = e.getKey().name().toLowerCase(java.util.Locale.ROOT);
            alarm("lambda-" + kind + "-errors", e.getValue().metricErrors(sum5m()), CreateAlarmOptions.builder()
                    .alarmDescription("The " + kind + " Lambda failed " + LAMBDA_ERRORS + " or more invocations in 5 minutes"
                            + " (crash, timeout, out of memory). Runbook: docs/OPERATIONS.md#lambda-errors")
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .threshold(LAMBDA_ERRORS)
                    .evaluationPeriods(1)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
            alarm("lambda-" + kind + "-throttles", e.getValue().metricThrottles(sum5m()), CreateAlarmOptions.builder()
                    .alarmDescription("The " + kind + " Lambda was throttled in two 5-minute periods in a row: the account's"
                            + " or the function's concurrency is exhausted. Runbook: docs/OPERATIONS.md#lambda-throttles")
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .threshold(1)
                    .evaluationPeriods(2)
                    .datapointsToAlarm(2)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
        }

        new Dashboard(this, "Dashboard", DashboardProps.builder()
                .dashboardName("raregen-" + stage)
                .defaultInterval(Duration.hours(3))
                .widgets(dashboard(data, api, broadcaster, poolDepth, errorRate, runningTasks, monitoring))
                .build());
    }

    private List<List<IWidget>> dashboard(DataStack data, ApiStack api, BroadcasterStack broadcaster,
                                          Metric poolDepth, MathExpression errorRate, Metric runningTasks,
                                          MonitoringProps monitoring) {
        List<IMetric> lambdaDurations = new ArrayList<>();
        List<IMetric> lambdaErrors = new ArrayList<>();
        for (Map.Entry<ApiFunctionKind, Function> e : api.functions().entrySet()) {
            String label = e.getKey().name().toLowerCase();
            lambdaDurations.add(e.getValue().metricDuration(MetricOptions.builder().statistic("p99").label(label + " p99").build()));
            lambdaErrors.add(e.getValue().metricErrors(MetricOptions.builder().statistic("Sum").label(label + " errors").build()));
            lambdaErrors.add(e.getValue().metricThrottles(MetricOptions.builder().statistic("Sum").label(label + " throttles").build()));
        }
        return List.of(
                List.of(new TextWidget(TextWidgetProps.builder()
                        .markdown("# RareGen " + stage + "\nAlarms and what to do: `docs/OPERATIONS.md`."
                                + " Top row: is publishing flowing? Then the API, the broadcaster, the database.")
                        .width(24).height(2).build())),
                List.of(
                        graph("UTXO pool: usable publish UTXOs / by status", List.of(poolDepth,
                                poolByStatus("available"), poolByStatus("reserved"), poolByStatus("pending")), List.of(
                                HorizontalAnnotation.builder().value(monitoring.poolAlarmThreshold()).label("alarm").build())),
                        graph("Transactions per second", List.of(raregen(Metrics.TX_PER_SEC, "Average", Duration.minutes(1))), List.of()),
                        graph("Batch size", List.of(raregen(Metrics.BATCH_SIZE, "Average", Duration.minutes(1)),
                                raregen(Metrics.BATCH_SIZE, "Maximum", Duration.minutes(1))), List.of()),
                        graph("Publish duration (s)", List.of(raregen(Metrics.PUBLISH_DURATION, "Average", Duration.minutes(1)),
                                raregen(Metrics.PUBLISH_DURATION, "Maximum", Duration.minutes(1))), List.of())),
                List.of(
                        graph("Queue: visible / oldest age (s)", List.of(
                                data.queue().queue().metricApproximateNumberOfMessagesVisible(),
                                data.queue().queue().metricApproximateAgeOfOldestMessage()), List.of()),
                        graph("DLQ messages", List.of(data.queue().deadLetterQueue().metricApproximateNumberOfMessagesVisible()), List.of()),
                        graph("Consecutive broadcast failures / stuck jobs / history rows in a default partition", List.of(
                                raregen(Metrics.CONSECUTIVE_BROADCAST_FAILURES, "Maximum", Duration.minutes(1)),
                                raregen(Metrics.STUCK_JOBS, "Maximum", Duration.minutes(1)),
                                raregen(Metrics.HISTORY_DEFAULT_ROWS, "Maximum", Duration.minutes(5))), List.of(
                                HorizontalAnnotation.builder().value(5).label("failures alarm").build())),
                        graph("Broadcaster running tasks", List.of(runningTasks), List.of()),
                        graph("Broadcast providers: breakers (2 = open) / available / disagreements", List.of(
                                perProvider(Metrics.PROVIDER_BREAKER, "Maximum"),
                                raregen(Metrics.PROVIDERS_AVAILABLE, "Minimum", Duration.minutes(1)),
                                raregen(Metrics.PROVIDER_DISAGREEMENTS, "Sum", Duration.minutes(1))), List.of(
                                HorizontalAnnotation.builder().value(1).label("providers-down below").build()))),
                List.of(
                        graph("API requests / 4xx / 5xx", List.of(api.httpApi().metricCount(sum5m()),
                                api.httpApi().metricClientError(sum5m()), api.httpApi().metricServerError(sum5m())), List.of()),
                        graph("API 5xx %", List.of(errorRate), List.of(
                                HorizontalAnnotation.builder().value(monitoring.api5xxPercent()).label("alarm").build())),
                        graph("Lambda p99 duration (ms)", lambdaDurations, List.of()),
                        graph("Lambda errors / throttles", lambdaErrors, List.of())),
                List.of(
                        graph("Broadcaster CPU / memory %", List.of(broadcaster.service().metricCpuUtilization(),
                                broadcaster.service().metricMemoryUtilization()), List.of()),
                        graph("Postgres CPU %", List.of(data.database().instance().metricCPUUtilization()), List.of()),
                        graph("Postgres connections", List.of(data.database().instance().metricDatabaseConnections()), List.of()),
                        graph("Postgres free storage (bytes)", List.of(data.database().instance().metricFreeStorageSpace()), List.of())),
                List.of(
                        // written by the functions as embedded metric format lines (functions/README.md)
                        graph("Intake: accepted / replayed / stored but not enqueued", List.of(
                                raregen(Metrics.INTAKE_ACCEPTED, "Sum", Duration.minutes(5)),
                                raregen(Metrics.INTAKE_REPLAYED, "Sum", Duration.minutes(5)),
                                raregen(Metrics.INTAKE_ENQUEUE_FAILURES, "Sum", Duration.minutes(5))), List.of())));
    }

    private static GraphWidget graph(String title, List<? extends IMetric> left, List<HorizontalAnnotation> annotations) {
        return new GraphWidget(GraphWidgetProps.builder()
                .title(title)
                .left(new ArrayList<>(left))
                .leftAnnotations(annotations)
                .width(6)
                .height(6)
                .build());
    }

    private static MetricOptions sum5m() {
        return MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build();
    }

    private Metric raregen(String name, String statistic, Duration period) {
        return new Metric(MetricProps.builder()
                .namespace(Metrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(Metrics.STAGE_DIMENSION, stage))
                .statistic(statistic)
                .period(period)
                .build());
    }

    /** One line per provider, whatever their names: a search over the provider dimension. */
    private MathExpression perProvider(String name, String statistic) {
        return new MathExpression(MathExpressionProps.builder()
                .expression("SEARCH('{" + Metrics.NAMESPACE + "," + Metrics.STAGE_DIMENSION + "," + Metrics.PROVIDER_DIMENSION
                        + "} MetricName=\"" + name + "\" " + Metrics.STAGE_DIMENSION + "=\"" + stage + "\"', '"
                        + statistic + "', 60)")
                .label(name)
                .period(Duration.minutes(1))
                .build());
    }

    private Metric poolByStatus(String status) {
        return new Metric(MetricProps.builder()
                .namespace(Metrics.NAMESPACE)
                .metricName(Metrics.POOL_DEPTH)
                .dimensionsMap(Map.of(Metrics.STAGE_DIMENSION, stage, Metrics.STATUS_DIMENSION, status))
                .statistic("Average")
                .label(status)
                .period(Duration.minutes(1))
                .build());
    }

    private Alarm alarm(String name, IMetric metric, CreateAlarmOptions options) {
        Alarm alarm = new Alarm(this, toId(name), software.amazon.awscdk.services.cloudwatch.AlarmProps.builder()
                .metric(metric)
                .alarmName("raregen-" + stage + "-" + name)
                .alarmDescription(options.getAlarmDescription())
                .comparisonOperator(options.getComparisonOperator())
                .threshold(options.getThreshold())
                .evaluationPeriods(options.getEvaluationPeriods())
                .datapointsToAlarm(options.getDatapointsToAlarm())
                .treatMissingData(options.getTreatMissingData())
                .build());
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
        alarms.add(alarm);
        return alarm;
    }

    private static String toId(String name) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.append("Alarm").toString();
    }

    public Topic topic() {
        return topic;
    }

    public List<Alarm> alarms() {
        return alarms;
    }

    /** Thresholds; {@code alarmEmail} may be null (subscribe later, see docs/OPERATIONS.md). */
    public record MonitoringProps(String stage, long poolAlarmThreshold, double api5xxPercent,
                                  int broadcasterDesiredCount, String alarmEmail) {
    }
}
