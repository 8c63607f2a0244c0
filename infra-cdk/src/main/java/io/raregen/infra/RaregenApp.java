package io.raregen.infra;

import io.raregen.infra.api.ApiStack;
import io.raregen.infra.broadcaster.BroadcasterStack;
import io.raregen.infra.broadcaster.RegistryStack;
import io.raregen.infra.data.DataStack;
import io.raregen.infra.monitoring.MonitoringStack;
import io.raregen.infra.nag.NagRules;
import io.raregen.infra.network.NetworkStack;
import io.raregen.infra.web.WebStack;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK entry point ({@code cdk.json}: {@code mvn compile exec:java}). Builds one stack per deployable:
 * network, data (stateful), registry (ECR), broadcaster (ECS), API (HTTP API + Lambdas) and monitoring.
 *
 * <p>Deploy order, which CloudFormation dependencies enforce: network, data, registry, broadcaster (which
 * migrates the database at start), API, monitoring.
 */
public final class RaregenApp {

    private static final String CROSS_STACK_REFERENCES = "@aws-cdk/core:defaultCrossStackReferences";

    private RaregenApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        AppConfig config = AppConfig.fromContext(app.getNode());
        requireBuilt(config);
        Stacks stacks = build(app, config);
        // cdk-nag on every synth: an unsuppressed finding fails `cdk synth`, not only the tests
        if (!"false".equals(String.valueOf(app.getNode().tryGetContext("nag")))) {
            NagRules.apply(app, stacks);
        }
        app.synth();
    }

    /** Every stack of one stage; tests call this with their own {@link App} and config. */
    public static Stacks build(App app, AppConfig config) {
        if (app.getNode().tryGetContext(CROSS_STACK_REFERENCES) == null) {
            // explicit: an export a consumer still imports cannot be deleted by a producer deploy
            app.getNode().setContext(CROSS_STACK_REFERENCES, "strong");
        }
        String prefix = config.stackPrefix();

        NetworkStack network = new NetworkStack(app, prefix + "-Network",
                props(config, "VPC, subnets and security groups"),
                new NetworkStack.NetworkProps("10.40.0.0/16", config.natGateways()));

        DataStack data = new DataStack(app, prefix + "-Data",
                propsBuilder(config, "Postgres, RDS Proxy, SQS queue + DLQ, secrets").terminationProtection(true).build(),
                network,
                new DataStack.DataProps(config.dbInstanceType(), config.multiAz(), config.deletionProtection(),
                        config.backupRetentionDays()));

        RegistryStack registry = new RegistryStack(app, prefix + "-Registry",
                props(config, "ECR repository of the broadcaster image"));

        BroadcasterStack broadcaster = new BroadcasterStack(app, prefix + "-Broadcaster",
                props(config, "Broadcaster on ECS Fargate (runs the Flyway migrations at start)"),
                network, data,
                new BroadcasterStack.BroadcasterProps(config.stage(), registry.repository(),
                        config.broadcasterImageTag(), config.broadcasterImageTarball(), config.arcUrl(), config.arcCallbackUrl(),
                        config.network(), config.feeFallbackSatsPerKb(), config.poolReplenishMinDepth(),
                        config.poolSplitBatchSize(), config.poolAlarmThreshold(), config.broadcasterDesiredCount(),
                        config.broadcasterMaxCount(), config.metricsSidecarImage(), config.arcProviders(),
                        config.arcRouting(), config.arcSendTo(), config.historyRetention()));
        broadcaster.addStackDependency(registry, "the image must be pushed to the repository first");

        ApiStack api = new ApiStack(app, prefix + "-Api",
                props(config, "HTTP API and the intake, verification and status Lambdas"),
                network, data,
                new ApiStack.ApiProps(config.stage(), config.functionsCode(), config.network(), config.arcUrl(),
                        config.apiRateLimit(), config.apiBurstLimit(), config.publishRateLimit(),
                        config.publishBurstLimit(), config.secretsEpoch(), config.mailFrom()));
        // new Lambda code must not serve before the broadcaster has migrated the schema it expects
        api.addStackDependency(broadcaster, "the broadcaster runs the database migrations");

        WebStack web = new WebStack(app, prefix + "-Web",
                props(config, "Web app on S3 behind CloudFront, with the API on the same origin"),
                api, new WebStack.WebProps(config.stage(), config.webDist()));

        MonitoringStack monitoring = new MonitoringStack(app, prefix + "-Monitoring",
                props(config, "Alarms, SNS topic and dashboard"),
                data, api, broadcaster,
                new MonitoringStack.MonitoringProps(config.stage(), config.poolAlarmThreshold(), 1.0,
                        config.broadcasterDesiredCount(), config.alarmEmail()));

        // monitoring deploys last, after everything it watches
        monitoring.addStackDependency(web, "the runbook's deploy order ends with monitoring");

        Tags.of(app).add("project", "raregen");
        Tags.of(app).add("stage", config.stage());
        return new Stacks(network, data, registry, broadcaster, api, monitoring, web);
    }

    private static StackProps props(AppConfig config, String description) {
        return propsBuilder(config, description).build();
    }

    private static StackProps.Builder propsBuilder(AppConfig config, String description) {
        StackProps.Builder b = StackProps.builder().description("RareGen Publisher (" + config.stage() + "): " + description);
        if (config.account() != null || config.region() != null) {
            b.env(Environment.builder().account(config.account()).region(config.region()).build());
        }
        return b;
    }

    /** A synth without the jar would deploy nothing useful: fail early with the fix. */
    private static void requireBuilt(AppConfig config) {
        if (!Files.exists(Path.of(config.functionsCode()))) {
            throw new IllegalStateException("functions code not found at " + config.functionsCode()
                    + ": build it first with `./mvnw -DskipTests package` from the repository root,"
                    + " or pass -c functionsJar=<path>");
        }
        if (!Files.isRegularFile(Path.of(config.webDist(), "index.html"))) {
            throw new IllegalStateException("web app not found at " + config.webDist() + " (no index.html): build it first"
                    + " with `./mvnw -DskipTests package` from the repository root, or pass -c webDist=<dir>");
        }
        if (config.broadcasterImageTarball() != null && !Files.exists(Path.of(config.broadcasterImageTarball()))) {
            throw new IllegalStateException("broadcaster image tarball not found at " + config.broadcasterImageTarball()
                    + ": build it with `./mvnw -pl broadcaster -am -DskipTests package jib:buildTar`");
        }
    }

    /** The stacks of one stage. */
    public record Stacks(NetworkStack network, DataStack data, RegistryStack registry, BroadcasterStack broadcaster,
                         ApiStack api, MonitoringStack monitoring, WebStack web) {
    }
}
