package io.raregen.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** The whole app synthesises into one cloud assembly, in the deploy order the runbook relies on. */
class AppSynthTest {

    @Test
    void wholeApp_synthesisesSevenStacks_withTheirResources() {
        CloudAssembly assembly = TestApps.app().synth();
        List<CloudFormationStackArtifact> stacks = assembly.getStacks();
        assertEquals(java.util.Set.of("Raregen-dev-Network", "Raregen-dev-Data", "Raregen-dev-Registry",
                        "Raregen-dev-Broadcaster", "Raregen-dev-Api", "Raregen-dev-Web", "Raregen-dev-Monitoring"),
                stacks.stream().map(CloudFormationStackArtifact::getStackName).collect(Collectors.toSet()));
        List<String> order = stacks.stream().map(CloudFormationStackArtifact::getStackName).collect(Collectors.toList());
        assertTrue(order.indexOf("Raregen-dev-Broadcaster") < order.indexOf("Raregen-dev-Api"), order.toString());
        assertEquals("Raregen-dev-Monitoring", order.get(order.size() - 1));
        for (CloudFormationStackArtifact stack : stacks) {
            Map<?, ?> resources = (Map<?, ?>) ((Map<?, ?>) stack.getTemplate()).get("Resources");
            assertTrue(resources != null && !resources.isEmpty(), stack.getStackName());
        }
        assertTrue(assembly.getStackByName("Raregen-dev-Data").getTerminationProtection());
    }

    @Test
    void api_deploysAfterTheBroadcaster_whichMigratesTheDatabase() {
        CloudAssembly assembly = TestApps.app().synth();
        List<String> apiDeps = assembly.getStackByName("Raregen-dev-Api").getDependencies().stream()
                .map(a -> a.getId()).collect(Collectors.toList());
        assertTrue(apiDeps.contains("Raregen-dev-Broadcaster"), apiDeps.toString());
        List<String> broadcasterDeps = assembly.getStackByName("Raregen-dev-Broadcaster").getDependencies().stream()
                .map(a -> a.getId()).collect(Collectors.toList());
        assertTrue(broadcasterDeps.containsAll(List.of("Raregen-dev-Registry", "Raregen-dev-Data")), broadcasterDeps.toString());
    }

    @Test
    void context_overridesTheDefaults() {
        App app = new App(AppProps.builder().analyticsReporting(false).context(Map.of(
                "stage", "prod", "deletionProtection", "false", "poolAlarmThreshold", "25000",
                "arcUrl", "https://arc.example", "feeFallbackSatsPerKb", 50, "broadcasterDesiredCount", "2",
                "arcCallbackUrl", "https://api.example/v1/callbacks/arc")).build());
        AppConfig config = AppConfig.fromContext(app.getNode());
        assertEquals("prod", config.stage());
        assertEquals(false, config.deletionProtection());
        assertEquals(25_000, config.poolAlarmThreshold());
        assertEquals("https://arc.example", config.arcUrl());
        assertEquals("https://api.example/v1/callbacks/arc", config.arcCallbackUrl());
        assertEquals(null, AppConfig.defaults().arcCallbackUrl(), "callbacks are opt-in");
        assertEquals(50, config.feeFallbackSatsPerKb());
        assertEquals(2, config.broadcasterDesiredCount());
        assertEquals("Raregen-prod", config.stackPrefix());
        assertEquals(AppConfig.defaults().multiAz(), config.multiAz());
    }

    @Test
    void context_rejectsValuesThatWouldDeployNonsense() {
        App typo = new App(AppProps.builder().analyticsReporting(false).context(Map.of("deletionProtection", "yes")).build());
        assertThrows(IllegalArgumentException.class, () -> AppConfig.fromContext(typo.getNode()));
        App stage = new App(AppProps.builder().analyticsReporting(false).context(Map.of("stage", "Prod_1")).build());
        assertThrows(IllegalArgumentException.class, () -> AppConfig.fromContext(stage.getNode()));
        App backups = new App(AppProps.builder().analyticsReporting(false).context(Map.of("backupRetentionDays", "0")).build());
        assertThrows(IllegalArgumentException.class, () -> AppConfig.fromContext(backups.getNode()));
    }
}
