package io.raregen.infra.data;

import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.AppConfig;
import io.raregen.infra.Json;
import io.raregen.infra.TestApps;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class HistoryArchiveTest {

    private static Template template;
    private static Map<String, Object> archive;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().data());
        Map<String, Object> buckets = Json.resources(template, "AWS::S3::Bucket");
        assertEquals(2, buckets.size(), "the archive and its access-log bucket: " + buckets.keySet());
        archive = props(buckets.entrySet().stream().filter(e -> e.getKey().startsWith("HistoryArchiveBucket"))
                .findFirst().orElseThrow().getValue());
    }

    @Test
    void theArchive_isPrivate_encryptedWithTheDataKey_versioned_logged_andKept() {
        String all = String.valueOf(archive);
        assertTrue(all.contains("BlockPublicAcls=true") && all.contains("RestrictPublicBuckets=true"), all);
        assertTrue(all.contains("SSEAlgorithm=aws:kms") && all.contains("DataKey"), all);
        assertTrue(all.contains("VersioningConfiguration={Status=Enabled}"), all);
        assertTrue(all.contains("LoggingConfiguration"), all);
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
        String policies = String.valueOf(Json.resources(template, "AWS::S3::BucketPolicy"));
        assertTrue(policies.contains("aws:SecureTransport"), "TLS only: " + policies);
    }

    @Test
    void objects_moveToGlacierInstantRetrieval_after30Days() {
        String rules = String.valueOf(archive.get("LifecycleConfiguration"));
        assertTrue(rules.contains("StorageClass=GLACIER_IR") && rules.contains("TransitionInDays=30"), rules);
    }

    @Test
    void theRetention_isWholeDays_ofAtLeastOne() {
        AppConfig d = AppConfig.defaults();
        assertEquals("P90D", d.historyRetention());
        for (String bad : new String[]{"P0D", "PT12H", "90", "", "P1W"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AppConfig(d.stage(), d.account(),
                    d.region(), d.functionsCode(), d.broadcasterImageTag(), d.broadcasterImageTarball(), d.arcUrl(),
                    d.arcCallbackUrl(), d.arcProviders(), d.arcRouting(), d.arcSendTo(), d.network(), d.feeFallbackSatsPerKb(),
                    d.poolAlarmThreshold(), d.poolReplenishMinDepth(), d.poolSplitBatchSize(), d.deletionProtection(),
                    d.multiAz(), d.dbInstanceType(), d.backupRetentionDays(), d.natGateways(), d.broadcasterDesiredCount(),
                    d.broadcasterMaxCount(), d.apiRateLimit(), d.apiBurstLimit(), d.publishRateLimit(), d.publishBurstLimit(),
                    d.alarmEmail(), d.metricsSidecarImage(), d.secretsEpoch(), d.webDist(), d.mailFrom(), bad));
            assertTrue(e.getMessage().contains("historyRetention"), e.getMessage());
        }
    }
}
