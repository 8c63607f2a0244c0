package io.raregen.infra;

import io.raregen.infra.broadcaster.ArcProvider;
import io.raregen.infra.broadcaster.ArcRouting;
import java.util.List;
import java.util.Objects;
import software.constructs.Node;

/**
 * Every deploy-time parameter of the CDK app, read from CDK context ({@code cdk deploy -c key=value}
 * or {@code cdk.json}), with the defaults a production deploy should start from.
 *
 * <p>The table in infra-cdk/README.md lists the context keys; keep it in step with {@link #fromContext}.
 */
public record AppConfig(
        String stage,
        String account,
        String region,
        /* where the shaded functions jar (or an unpacked directory) is, relative to infra-cdk/ */
        String functionsCode,
        /* ECR image tag pushed by mvn jib:build; ignored when broadcasterImageTarball is set */
        String broadcasterImageTag,
        /* optional: a Jib tarball (mvn jib:buildTar) - needs Docker at deploy time, see README */
        String broadcasterImageTarball,
        String arcUrl,
        /* optional: <ApiUrl output>/v1/callbacks/arc; unset = no ARC callbacks, confirmations are polled */
        String arcCallbackUrl,
        /* optional: the broadcaster's ARC providers, in priority order; empty = the one provider at arcUrl */
        List<ArcProvider> arcProviders,
        ArcRouting arcRouting,
        /* with arcRouting ALL: providers each transaction goes to; 0 = every provider */
        int arcSendTo,
        String network,
        long feeFallbackSatsPerKb,
        long poolAlarmThreshold,
        long poolReplenishMinDepth,
        long poolSplitBatchSize,
        boolean deletionProtection,
        boolean multiAz,
        String dbInstanceType,
        int backupRetentionDays,
        int natGateways,
        int broadcasterDesiredCount,
        int broadcasterMaxCount,
        int apiRateLimit,
        int apiBurstLimit,
        int publishRateLimit,
        int publishBurstLimit,
        String alarmEmail,
        String metricsSidecarImage,
        /* bump after rotating a secret the Lambdas read: new versions, new SnapStart snapshots */
        String secretsEpoch,
        /* the built web app (web/target/dist/), relative to infra-cdk/ */
        String webDist,
        /* the sender of sign-in mail: an SES email identity the stack declares (verify it once, docs/ACCOUNTS.md) */
        String mailFrom,
        /* the broadcaster's raregen.retention.after: finished days of history older than this go to the archive bucket */
        String historyRetention) {

    public AppConfig {
        Objects.requireNonNull(stage, "stage");
        if (!stage.matches("[a-z][a-z0-9-]{0,15}")) {
            throw new IllegalArgumentException("stage must be 1-16 chars of [a-z0-9-], starting with a letter: " + stage);
        }
        if (broadcasterDesiredCount < 1 || broadcasterMaxCount < broadcasterDesiredCount) {
            throw new IllegalArgumentException("need 1 <= broadcasterDesiredCount <= broadcasterMaxCount");
        }
        if (mailFrom == null || !mailFrom.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("mailFrom must be an email address: " + mailFrom);
        }
        if (historyRetention == null || !historyRetention.matches("P[1-9][0-9]*D")) {
            throw new IllegalArgumentException("historyRetention must be a whole number of days, at least P1D: " + historyRetention);
        }
        if (backupRetentionDays < 1) {
            throw new IllegalArgumentException("backupRetentionDays >= 1: automated backups and point-in-time recovery stay on");
        }
        arcProviders = arcProviders == null ? List.of() : List.copyOf(arcProviders);
        ArcProvider.requireValidList(arcProviders);
        Objects.requireNonNull(arcRouting, "arcRouting");
        // with no arcProviders the broadcaster has one provider (arcUrl)
        int providerCount = Math.max(1, arcProviders.size());
        if (arcSendTo < 0 || arcSendTo > providerCount) {
            throw new IllegalArgumentException("arcSendTo must be 0 (every provider) up to the number of providers ("
                    + providerCount + "), got " + arcSendTo);
        }
        if (arcSendTo != 0 && arcRouting != ArcRouting.ALL) {
            throw new IllegalArgumentException("arcSendTo applies to arcRouting=all only (arcRouting is "
                    + arcRouting.value() + ")");
        }
    }

    /** The production defaults, for stage {@code dev} and no account/region (an environment-agnostic synth). */
    public static AppConfig defaults() {
        return new AppConfig(
                "dev", null, null,
                ResourceNames.DEFAULT_FUNCTIONS_JAR,
                "0.1.0-SNAPSHOT",
                null,
                "https://arc.taal.com",
                null,
                List.of(),
                ArcRouting.PRIMARY_WITH_FAILOVER,
                0,
                "main",
                100,
                10_000,
                50_000,
                100_000,
                true,
                true,
                "t4g.medium",
                7,
                2,
                1,
                4,
                500,
                1_000,
                200,
                400,
                null,
                "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3",
                "1",
                ResourceNames.DEFAULT_WEB_DIST,
                "no-reply@raregen.example",
                "P90D");
    }

    /** Reads each key from CDK context, falling back to {@link #defaults()}. */
    public static AppConfig fromContext(Node node) {
        AppConfig d = defaults();
        return new AppConfig(
                str(node, "stage", d.stage()),
                str(node, "account", System.getenv("CDK_DEFAULT_ACCOUNT")),
                str(node, "region", System.getenv("CDK_DEFAULT_REGION")),
                str(node, "functionsJar", d.functionsCode()),
                str(node, "broadcasterImageTag", d.broadcasterImageTag()),
                str(node, "broadcasterImageTarball", d.broadcasterImageTarball()),
                str(node, "arcUrl", d.arcUrl()),
                str(node, "arcCallbackUrl", d.arcCallbackUrl()),
                ArcProvider.parseList(str(node, "arcProviders", null)),
                ArcRouting.parse(str(node, "arcRouting", d.arcRouting().value())),
                (int) lng(node, "arcSendTo", d.arcSendTo()),
                str(node, "network", d.network()),
                lng(node, "feeFallbackSatsPerKb", d.feeFallbackSatsPerKb()),
                lng(node, "poolAlarmThreshold", d.poolAlarmThreshold()),
                lng(node, "poolReplenishMinDepth", d.poolReplenishMinDepth()),
                lng(node, "poolSplitBatchSize", d.poolSplitBatchSize()),
                bool(node, "deletionProtection", d.deletionProtection()),
                bool(node, "multiAz", d.multiAz()),
                str(node, "dbInstanceType", d.dbInstanceType()),
                (int) lng(node, "backupRetentionDays", d.backupRetentionDays()),
                (int) lng(node, "natGateways", d.natGateways()),
                (int) lng(node, "broadcasterDesiredCount", d.broadcasterDesiredCount()),
                (int) lng(node, "broadcasterMaxCount", d.broadcasterMaxCount()),
                (int) lng(node, "apiRateLimit", d.apiRateLimit()),
                (int) lng(node, "apiBurstLimit", d.apiBurstLimit()),
                (int) lng(node, "publishRateLimit", d.publishRateLimit()),
                (int) lng(node, "publishBurstLimit", d.publishBurstLimit()),
                str(node, "alarmEmail", d.alarmEmail()),
                str(node, "metricsSidecarImage", d.metricsSidecarImage()),
                str(node, "secretsEpoch", d.secretsEpoch()),
                str(node, "webDist", d.webDist()),
                str(node, "mailFrom", d.mailFrom()),
                str(node, "historyRetention", d.historyRetention()));
    }

    /** A copy pointing at other build outputs; tests use it so they never need the other modules built. */
    public AppConfig withArtifacts(String functionsCode, String broadcasterImageTarball) {
        return new AppConfig(stage, account, region, functionsCode, broadcasterImageTag, broadcasterImageTarball,
                arcUrl, arcCallbackUrl, arcProviders, arcRouting, arcSendTo, network, feeFallbackSatsPerKb,
                poolAlarmThreshold, poolReplenishMinDepth, poolSplitBatchSize, deletionProtection, multiAz, dbInstanceType, backupRetentionDays,
                natGateways, broadcasterDesiredCount, broadcasterMaxCount, apiRateLimit, apiBurstLimit,
                publishRateLimit, publishBurstLimit, alarmEmail, metricsSidecarImage, secretsEpoch, webDist, mailFrom, historyRetention);
    }

    /** A copy serving another web app directory (tests: a placeholder page). */
    public AppConfig withWebDist(String dir) {
        return new AppConfig(stage, account, region, functionsCode, broadcasterImageTag, broadcasterImageTarball,
                arcUrl, arcCallbackUrl, arcProviders, arcRouting, arcSendTo, network, feeFallbackSatsPerKb,
                poolAlarmThreshold, poolReplenishMinDepth, poolSplitBatchSize, deletionProtection, multiAz, dbInstanceType, backupRetentionDays,
                natGateways, broadcasterDesiredCount, broadcasterMaxCount, apiRateLimit, apiBurstLimit,
                publishRateLimit, publishBurstLimit, alarmEmail, metricsSidecarImage, secretsEpoch, dir, mailFrom, historyRetention);
    }

    /** The prefix of every stack name: {@code Raregen-<stage>}. */
    public String stackPrefix() {
        return "Raregen-" + stage;
    }

    private static String str(Node node, String key, String fallback) {
        Object v = node.tryGetContext(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString();
    }

    private static long lng(Node node, String key, long fallback) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, got " + v, e);
        }
    }

    private static boolean bool(Node node, String key, boolean fallback) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim().toLowerCase();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("context " + key + " must be true or false, got " + v);
        }
        return Boolean.parseBoolean(s);
    }
}
