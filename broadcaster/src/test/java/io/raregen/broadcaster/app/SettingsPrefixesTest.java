package io.raregen.broadcaster.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.broadcast.WocSettings;
import io.raregen.broadcaster.callbacks.CallbackSettings;
import io.raregen.broadcaster.fees.FeeSettings;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.ratelimit.RateLimitSettings;
import io.raregen.broadcaster.receive.QueueSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The settings classes moved beside their stages (issue #18) keep the configuration keys operators use: the
 * prefixes below are external names (broadcaster/README.md, the CDK stack, the local stack) and must not change
 * with a class's name or package. Binding through these prefixes is covered by ApplicationTest.
 */
class SettingsPrefixesTest {

    @Test
    void eachSettingsClass_keepsItsConfigurationPrefix() {
        Map<Class<?>, String> prefixes = new LinkedHashMap<>();
        prefixes.put(PipelineSettings.class, "raregen.broadcaster");
        prefixes.put(CallbackSettings.class, "raregen.broadcaster.callbacks");
        prefixes.put(QueueSettings.class, "raregen.queue");
        prefixes.put(AwsSettings.class, "raregen.aws");
        prefixes.put(ArcSettings.class, "raregen.arc");
        prefixes.put(WocSettings.class, "raregen.woc");
        prefixes.put(RateLimitSettings.class, "raregen.ratelimit");
        prefixes.put(FeeSettings.class, "raregen.fees");
        prefixes.put(RecoverySettings.class, "raregen.recovery");
        prefixes.forEach((type, prefix) -> {
            ConfigurationProperties c = type.getAnnotation(ConfigurationProperties.class);
            assertNotNull(c, type.getSimpleName() + " is @ConfigurationProperties");
            assertEquals(prefix, c.value(), type.getSimpleName());
        });
    }
}
