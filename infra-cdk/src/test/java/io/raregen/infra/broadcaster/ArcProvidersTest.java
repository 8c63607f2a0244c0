package io.raregen.infra.broadcaster;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.map;
import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.AppConfig;
import io.raregen.infra.Json;
import io.raregen.infra.ResourceNames.Env;
import io.raregen.infra.TestApps;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code -c arcProviders=taal=...,gorilla=... -c arcRouting=all -c arcSendTo=2}: each provider's URL and priority
 * as plain environment, its token as an ECS secret from the ARC token secret's field {@code <name>}, the routing
 * as environment; values that would deploy a broken broadcaster are refused at synth.
 */
class ArcProvidersTest {

    private static final String PROVIDERS = "taal=https://arc.taal.com, gorilla=https://arc.gorillapool.io/";

    private static Stack stack;
    private static Map<String, Object> env;
    private static Map<String, String> secrets;

    @BeforeAll
    static void synth() {
        stack = TestApps.withContext(Map.of("arcProviders", PROVIDERS, "arcRouting", "all", "arcSendTo", "2")).broadcaster();
        Map<String, Object> app = container(stack);
        env = list(app.get("Environment")).stream().map(e -> map(e))
                .collect(Collectors.toMap(e -> (String) e.get("Name"), e -> e.get("Value"), (a, b) -> a, LinkedHashMap::new));
        secrets = list(app.get("Secrets")).stream().map(s -> map(s))
                .collect(Collectors.toMap(s -> (String) s.get("Name"), s -> String.valueOf(s.get("ValueFrom"))));
    }

    /** Not TestApps.template: that cache is by stack name, and this app's stacks have the default names. */
    static Map<String, Object> container(Stack broadcaster) {
        Map<String, Object> tasks = Json.resources(Template.fromStack(broadcaster), "AWS::ECS::TaskDefinition");
        return list(props(tasks.values().iterator().next()).get("ContainerDefinitions")).stream().map(c -> map(c))
                .filter(c -> BroadcasterStack.CONTAINER.equals(c.get("Name"))).findFirst().orElseThrow();
    }

    @Test
    void eachProvider_getsItsUrlAndPriority_inTheOrderGiven() {
        assertEquals("https://arc.taal.com", env.get("RAREGEN_ARC_PROVIDERS_TAAL_URL"));
        assertEquals("1", env.get("RAREGEN_ARC_PROVIDERS_TAAL_PRIORITY"));
        assertEquals("https://arc.gorillapool.io/", env.get("RAREGEN_ARC_PROVIDERS_GORILLA_URL"));
        assertEquals("2", env.get("RAREGEN_ARC_PROVIDERS_GORILLA_PRIORITY"));
        assertEquals("all", env.get(Env.ARC_ROUTING_POLICY));
        assertEquals("2", env.get(Env.ARC_ROUTING_SEND_TO));
        // the single-provider variables stay: RAREGEN_ARC_URL is still arcUrl
        assertEquals(AppConfig.defaults().arcUrl(), env.get(Env.ARC_URL));
        Set<String> added = new HashSet<>(env.keySet());
        added.removeAll(BroadcasterStackTest.SINGLE_PROVIDER_ENV);
        assertEquals(Set.of("RAREGEN_ARC_PROVIDERS_TAAL_URL", "RAREGEN_ARC_PROVIDERS_TAAL_PRIORITY",
                "RAREGEN_ARC_PROVIDERS_GORILLA_URL", "RAREGEN_ARC_PROVIDERS_GORILLA_PRIORITY",
                Env.ARC_ROUTING_POLICY, Env.ARC_ROUTING_SEND_TO), added);
        assertTrue(env.keySet().containsAll(BroadcasterStackTest.SINGLE_PROVIDER_ENV), env.keySet().toString());
    }

    @Test
    void eachProviderToken_isAnEcsSecret_fromItsFieldOfTheArcTokenSecret() {
        assertTrue(secrets.keySet().containsAll(List.of(Env.ARC_TOKEN, "RAREGEN_ARC_PROVIDERS_TAAL_TOKEN",
                "RAREGEN_ARC_PROVIDERS_GORILLA_TOKEN")), secrets.keySet().toString());
        assertEquals(BroadcasterStackTest.SECRETS.size() + 2, secrets.size(), secrets.keySet().toString());
        // the same secret reference as RAREGEN_ARC_TOKEN's (field "token"), with the provider's field
        String arcToken = secrets.get(Env.ARC_TOKEN);
        assertTrue(arcToken.contains("ArcToken") && arcToken.endsWith(":token::]]}"), arcToken);
        assertEquals(arcToken.replace(":token::]]}", ":taal::]]}"), secrets.get("RAREGEN_ARC_PROVIDERS_TAAL_TOKEN"));
        assertEquals(arcToken.replace(":token::]]}", ":gorilla::]]}"), secrets.get("RAREGEN_ARC_PROVIDERS_GORILLA_TOKEN"));
        for (String name : secrets.keySet()) {
            assertTrue(!env.containsKey(name), name + " must not also be plain environment");
        }
    }

    @Test
    void cdkNag_hasNoUnsuppressedFinding_withProviders() {
        var errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        var warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals(List.of(), errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList());
        assertEquals(List.of(), warnings.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList());
    }

    @Test
    void parseList_ordersByPosition_andBlankIsNone() {
        assertEquals(List.of(new ArcProvider("taal", "https://arc.taal.com", 1),
                        new ArcProvider("gorilla", "https://arc.gorillapool.io/", 2)),
                ArcProvider.parseList(PROVIDERS));
        assertEquals(List.of(), ArcProvider.parseList(null));
        assertEquals(List.of(), ArcProvider.parseList(" "));
        assertEquals(List.of(), AppConfig.defaults().arcProviders());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Taal=https://arc.taal.com                                   | provider name must match",
            "ta-al=https://arc.taal.com                                  | provider name must match",
            "ta_al=https://arc.taal.com                                  | provider name must match",
            "1taal=https://arc.taal.com                                  | provider name must match",
            "abcdefghijklmnopq=https://arc.taal.com                      | provider name must match",
            "=https://arc.taal.com                                       | provider name must match",
            "taal=http://arc.taal.com                                    | URL of taal must be https://",
            "taal=http://localhost:9090                                  | URL of taal must be https://",
            "taal=https://user:pw@arc.taal.com                           | URL of taal must be https://",
            "taal=https://arc.taal.com?token=x                           | URL of taal must be https://",
            "taal=arc.taal.com                                           | URL of taal must be https://",
            "taal=https://arc taal.com                                   | URL of taal is not a URL",
            "taal                                                        | entry 1 must be name=url",
            "taal=https://arc.taal.com;gorilla=https://arc.gorillapool.io | URL of taal must be https://",
            "taal=https://arc.taal.com,                                  | entry 2 must be name=url",
            "taal=https://a.example,taal=https://b.example               | provider name taal appears twice",
            "a=https://a.example,b=https://b.example,c=https://c.example,d=https://d.example,e=https://e.example,f=https://f.example"
                    + " | at most 5 providers, got 6",
    })
    void badProviders_areRefusedWithTheReason(String value, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromContext(Map.of("arcProviders", value)));
        assertTrue(e.getMessage().startsWith("arcProviders: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void fiveProviders_areAccepted() {
        assertEquals(5, fromContext(Map.of("arcProviders",
                "a=https://a.example,b=https://b.example,c=https://c.example,d=https://d.example,e1=https://e.example:8443/arc"))
                .arcProviders().size());
    }

    @Test
    void routing_readsTheContext_andRefusesWhatTheBroadcasterWouldMisread() {
        AppConfig all = fromContext(Map.of("arcProviders", PROVIDERS, "arcRouting", "all", "arcSendTo", 1));
        assertEquals(ArcRouting.ALL, all.arcRouting());
        assertEquals(1, all.arcSendTo());
        assertEquals(ArcRouting.PRIMARY_WITH_FAILOVER, fromContext(Map.of()).arcRouting());
        assertEquals(0, fromContext(Map.of()).arcSendTo());

        assertRefused("arcRouting must be one of primary-with-failover, all, got ALL", Map.of("arcRouting", "ALL"));
        assertRefused("arcSendTo must be 0 (every provider) up to the number of providers (2), got 3",
                Map.of("arcProviders", PROVIDERS, "arcRouting", "all", "arcSendTo", "3"));
        assertRefused("up to the number of providers (1), got 2", Map.of("arcRouting", "all", "arcSendTo", "2"));
        assertRefused("got -1", Map.of("arcProviders", PROVIDERS, "arcRouting", "all", "arcSendTo", "-1"));
        assertRefused("arcSendTo applies to arcRouting=all only", Map.of("arcProviders", PROVIDERS, "arcSendTo", "1"));
    }

    private static void assertRefused(String message, Map<String, Object> context) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromContext(context));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static AppConfig fromContext(Map<String, Object> context) {
        return AppConfig.fromContext(new App(AppProps.builder().analyticsReporting(false).context(context).build()).getNode());
    }
}
