package io.raregen.broadcaster.providers;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.raregen.broadcaster.broadcast.ArcSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Providers as an ECS task gets them: environment variables, one set per provider. (The application
 * binding them into {@link ProviderSettings} and building the router is covered by ApplicationTest.)
 */
class ProviderSettingsTest {

    @Test
    void environmentVariables_nameEachProviderOnce() {
        Map<String, Object> env = Map.of(
                "RAREGEN_ARC_PROVIDERS_TAAL_URL", "https://arc.taal.example",
                "RAREGEN_ARC_PROVIDERS_TAAL_TOKEN", "secret-taal",
                "RAREGEN_ARC_PROVIDERS_GORILLA_URL", "https://arc.gorilla.example",
                "RAREGEN_ARC_PROVIDERS_GORILLA_RATE_CAPACITY", "300",
                "RAREGEN_ARC_PROVIDERS_GORILLA_BREAKER_OPEN_FOR", "10s",
                "RAREGEN_ARC_ROUTING_POLICY", "all");
        try (ApplicationContext ctx = ApplicationContext.builder()
                .propertySources(PropertySource.of("env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build()) {
            Environment e = ctx.getEnvironment().start();
            // @EachProperty makes one ProviderSettings per entry under the prefix
            assertEquals(Set.of("taal", "gorilla"), e.getPropertyEntries("raregen.arc.providers"));
            assertEquals("https://arc.gorilla.example", e.getProperty("raregen.arc.providers.gorilla.url", String.class).orElseThrow());
            assertEquals(300, e.getProperty("raregen.arc.providers.gorilla.rate-capacity", Integer.class).orElseThrow());
            assertEquals(RoutingSettings.Policy.ALL, e.getProperty("raregen.arc.routing.policy", RoutingSettings.Policy.class).orElseThrow());
        }
    }

    @Test
    void noProviderConfigured_isOneNamedArcAtTheArcUrl() {
        ArcSettings arc = new ArcSettings();
        arc.setUrl("http://127.0.0.1:1234");
        arc.setToken("t");
        List<ProviderSettings> p = ProviderSettings.effective(arc, List.of());
        assertEquals(1, p.size());
        assertEquals("arc", p.get(0).getName());
        assertEquals("http://127.0.0.1:1234", p.get(0).arc(arc).getUrl());
        assertEquals("t", p.get(0).arc(arc).getToken());
    }

    @Test
    void providersAreOrderedByPriorityThenName_andTakeTheCommonSettings() {
        ArcSettings arc = new ArcSettings();
        arc.setMaxTimeoutSeconds(7);
        ProviderSettings b = ProviderSettings.of("b", "http://b", null);
        ProviderSettings a = ProviderSettings.of("a", "http://a", null);
        ProviderSettings first = ProviderSettings.of("z", "http://z", null);
        first.setPriority(1);
        first.setMaxTimeoutSeconds(3);
        List<ProviderSettings> p = ProviderSettings.effective(arc, List.of(b, a, first));
        assertEquals(List.of("z", "a", "b"), p.stream().map(ProviderSettings::getName).toList());
        assertEquals(3, p.get(0).arc(arc).getMaxTimeoutSeconds());
        assertEquals(7, p.get(1).arc(arc).getMaxTimeoutSeconds());
    }

    @Test
    void aProviderWithoutUrl_isRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSettings.effective(new ArcSettings(), List.of(ProviderSettings.of("broken", null, "x"))));
        assertEquals("raregen.arc.providers.broken.url is required", e.getMessage());
    }

    @Test
    void theTokenNeverShowsInToString() {
        ProviderSettings p = ProviderSettings.of("taal", "https://arc.taal.example", "secret-token");
        assertEquals(-1, p.toString().indexOf("secret-token"));
        assertEquals(-1, p.arc(new ArcSettings()).toString().indexOf("secret-token"));
    }
}
