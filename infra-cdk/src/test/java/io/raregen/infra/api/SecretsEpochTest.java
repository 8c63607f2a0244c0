package io.raregen.infra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.AppConfig;
import io.raregen.infra.Json;
import io.raregen.infra.RaregenApp;
import io.raregen.infra.TestApps;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The rotation runbook relies on this: bumping {@code secretsEpoch} publishes new Lambda versions (so new
 * SnapStart snapshots that read the secrets afresh), and nothing else about the functions changes.
 */
class SecretsEpochTest {

    @Test
    void bumpingTheEpoch_publishesNewVersions_forAllThreeFunctions() {
        Set<String> before = Json.resources(TestApps.template(TestApps.defaults().api()), "AWS::Lambda::Version").keySet();

        App app = new App(AppProps.builder().analyticsReporting(false).context(TestApps.cdkJsonContext()).build());
        AppConfig d = AppConfig.defaults().withArtifacts(TestApps.placeholderFunctionsCode().toString(), null)
                .withWebDist(TestApps.placeholderWebDist().toString());
        AppConfig bumped = new AppConfig(d.stage(), d.account(), d.region(), d.functionsCode(), d.broadcasterImageTag(),
                d.broadcasterImageTarball(), d.arcUrl(), d.arcCallbackUrl(), d.arcProviders(), d.arcRouting(),
                d.arcSendTo(), d.network(), d.feeFallbackSatsPerKb(), d.poolAlarmThreshold(),
                d.poolReplenishMinDepth(), d.poolSplitBatchSize(), d.deletionProtection(), d.multiAz(),
                d.dbInstanceType(), d.backupRetentionDays(), d.natGateways(), d.broadcasterDesiredCount(),
                d.broadcasterMaxCount(), d.apiRateLimit(), d.apiBurstLimit(), d.publishRateLimit(),
                d.publishBurstLimit(), d.alarmEmail(), d.metricsSidecarImage(), "2", d.webDist(), d.mailFrom(),
                d.historyRetention());
        Template after = Template.fromStack(RaregenApp.build(app, bumped).api());
        Set<String> afterIds = Json.resources(after, "AWS::Lambda::Version").keySet();

        assertEquals(3, before.size());
        assertEquals(3, afterIds.size());
        for (String id : afterIds) {
            assertTrue(!before.contains(id), "a new version resource (a new publish) for " + id);
        }
        Map<String, Object> functions = new HashMap<>(Json.resources(after, "AWS::Lambda::Function"));
        assertEquals(Json.resources(TestApps.template(TestApps.defaults().api()), "AWS::Lambda::Function").keySet(),
                functions.keySet(), "same functions, only new versions");
    }
}
