package io.raregen.infra.api;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.map;
import static io.raregen.infra.Json.props;
import static io.raregen.infra.Json.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.ResourceNames;
import io.raregen.infra.ResourceNames.Env;
import io.raregen.infra.TestApps;
import io.raregen.infra.api.ApiRoutes.ApiFunctionKind;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ApiStackTest {

    private static Template template;
    private static Map<String, Object> functions;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().api());
        functions = io.raregen.infra.Json.resources(template, "AWS::Lambda::Function");
    }

    @Test
    void threeFunctions_fromOneJar_runJava21_withSnapStartOnPublishedVersions() {
        assertEquals(3, functions.size());
        Set<String> code = new HashSet<>();
        for (Object fn : functions.values()) {
            Map<String, Object> p = props(fn);
            assertEquals("java21", p.get("Runtime"));
            assertEquals(ResourceNames.LAMBDA_HANDLER, p.get("Handler"));
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"));
            int memory = ((Number) p.get("MemorySize")).intValue();
            int timeout = ((Number) p.get("Timeout")).intValue();
            assertTrue(memory >= 1024 && memory <= 4096, "memory " + memory);
            assertTrue(timeout > 3 && timeout < 30, "under the HTTP API's 30 s integration timeout: " + timeout);
            code.add(String.valueOf(map(p.get("Code")).get("S3Key")));
        }
        assertEquals(1, code.size(), "one asset, deployed three times");
    }

    @Test
    void apiGateway_invokesTheLiveAlias_ofAPublishedVersion() {
        Map<String, Object> aliases = io.raregen.infra.Json.resources(template, "AWS::Lambda::Alias");
        assertEquals(3, aliases.size());
        Map<String, Object> versions = io.raregen.infra.Json.resources(template, "AWS::Lambda::Version");
        for (Object alias : aliases.values()) {
            Map<String, Object> p = props(alias);
            assertEquals(ApiStack.ALIAS, p.get("Name"));
            assertTrue(versions.containsKey(target(p.get("FunctionVersion"))), "alias points at a published version");
        }
        for (Object integration : io.raregen.infra.Json.resources(template, "AWS::ApiGatewayV2::Integration").values()) {
            assertTrue(aliases.containsKey(target(props(integration).get("IntegrationUri"))),
                    "the integration targets an alias, so SnapStart applies");
        }
    }

    @Test
    void routes_areSplitAcrossIntakeVerificationAndStatus() {
        Map<String, Object> routes = io.raregen.infra.Json.resources(template, "AWS::ApiGatewayV2::Route");
        Map<String, Object> integrations = io.raregen.infra.Json.resources(template, "AWS::ApiGatewayV2::Integration");
        assertEquals(ApiRoutes.ALL.size(), routes.size());
        for (ApiRoutes.Route expected : ApiRoutes.ALL) {
            Map<String, Object> route = routes.values().stream().map(r -> props(r))
                    .filter(p -> expected.key().equals(p.get("RouteKey")))
                    .findFirst().orElseThrow(() -> new AssertionError("missing route " + expected.key()));
            // Target: Fn::Join ["", ["integrations/", {Ref: integration}]]
            Object ref = list(list(map(route.get("Target")).get("Fn::Join")).get(1)).get(1);
            String aliasId = target(props(integrations.get(target(ref))).get("IntegrationUri"));
            String kind = expected.function().name().toLowerCase(Locale.ROOT);
            assertTrue(aliasId.toLowerCase(Locale.ROOT).startsWith(kind), expected.key() + " -> " + aliasId);
        }
        Set<String> keys = new HashSet<>();
        routes.values().forEach(r -> keys.add((String) props(r).get("RouteKey")));
        assertTrue(keys.containsAll(List.of("POST /v1/identities", "POST /v1/publish", "POST /v1/verify",
                "GET /v1/jobs/{id}/proof", "POST /v1/callbacks/arc", "GET /v1/jobs/{id}", "GET /v1/batches/{id}",
                "GET /v1/pool", "GET /health")));
    }

    @Test
    void operatorRoutes_runOnTheOneFunctionThatReadsTheAdminToken() {
        // these controllers answer 403 without the operator token; a function without the secret can never check it
        List<String> operatorRoutes = List.of("GET /v1/pool", "GET /v1/ops/series", "GET /v1/ops/summary",
                "GET /v1/ops/failed-jobs", "POST /v1/ops/jobs/{id}/retry", "GET /v1/ops/accounts", "GET /v1/ops/accounts/{id}",
                "POST /v1/ops/accounts/{id}/grants", "PUT /v1/ops/accounts/{id}/plan", "GET /v1/ops/plans", "PUT /v1/ops/plans/{name}");
        for (ApiRoutes.Route r : ApiRoutes.ALL) {
            if (operatorRoutes.contains(r.key())) {
                assertEquals(ApiFunctionKind.INTAKE, r.function(), r.key());
            }
        }
        assertEquals(operatorRoutes.size(), ApiRoutes.ALL.stream().filter(r -> operatorRoutes.contains(r.key())).count());
    }

    @Test
    void stage_throttlesEveryRoute_andPublishTighter() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 500, "ThrottlingBurstLimit", 1000)),
                "RouteSettings", Match.objectLike(Map.of(
                        ApiRoutes.PUBLISH_ROUTE, Map.of("ThrottlingRateLimit", 200, "ThrottlingBurstLimit", 400),
                        ApiRoutes.REVOKE_ROUTE, Match.objectLike(Map.of("ThrottlingRateLimit", 1)))),
                "AccessLogSettings", Match.objectLike(Map.of("Format", Match.stringLikeRegexp(".*routeKey.*status.*"))))));
    }

    @Test
    void functions_getSecretArns_neverSecretValues() {
        Set<String> forbidden = Set.of(Env.DATASOURCE_PASSWORD, Env.ARC_TOKEN, Env.POOL_WIF, Env.FUNDING_WIF, Env.ADMIN_TOKEN);
        for (Object fn : functions.values()) {
            Map<String, Object> vars = map(map(props(fn).get("Environment")).get("Variables"));
            for (String name : vars.keySet()) {
                assertFalse(forbidden.contains(name), "secret in a Lambda environment: " + name);
            }
            assertTrue(vars.containsKey(Env.DB_SECRET_ARN));
            assertFalse(String.valueOf(vars).contains("resolve:secretsmanager"), "no dynamic reference that CloudFormation would inline");
            assertEquals("false", vars.get(Env.FLYWAY_ENABLED), "only the broadcaster migrates");
            assertEquals("1", vars.get(Env.SECRETS_EPOCH), "bumped after a rotation to re-snapshot");
            assertTrue(String.valueOf(vars.get(Env.METRICS_STAGE)).matches("[a-z][a-z0-9-]*"), "EMF Stage dimension: " + vars);
            String url = String.valueOf(vars.get(Env.DATASOURCE_URL));
            assertTrue(url.contains("jdbc:postgresql://") && url.contains("Proxy") && url.contains("Endpoint"), "through RDS Proxy: " + url);
        }
    }

    @Test
    void onlyIntake_maySendToTheQueue_orReadTheAdminToken() {
        Map<String, Object> policies = io.raregen.infra.Json.resources(template, "AWS::IAM::Policy");
        int intakePolicies = 0;
        for (Map.Entry<String, Object> policy : policies.entrySet()) {
            String text = String.valueOf(props(policy.getValue()).get("PolicyDocument"));
            boolean sends = text.contains("sqs:SendMessage");
            boolean admin = text.contains("SecretsAdminToken");
            boolean intake = policy.getKey().startsWith("Intake");
            if (intake) {
                intakePolicies++;
                assertTrue(sends && admin, "intake sends and reads the admin token");
            } else {
                assertFalse(sends, policy.getKey() + " must not send to the queue");
                assertFalse(admin, policy.getKey() + " must not read the admin token");
                assertFalse(text.contains("sqs:ReceiveMessage"), "no Lambda consumes the queue");
            }
        }
        assertEquals(1, intakePolicies);
    }

    @Test
    void onlyVerification_getsAndMayReadTheArcCallbackToken() {
        Map<String, Object> policies = io.raregen.infra.Json.resources(template, "AWS::IAM::Policy");
        int readers = 0;
        for (Map.Entry<String, Object> policy : policies.entrySet()) {
            boolean reads = String.valueOf(props(policy.getValue()).get("PolicyDocument")).contains("SecretsArcCallbackToken");
            boolean verification = policy.getKey().startsWith("Verification");
            assertEquals(verification, reads, policy.getKey());
            readers += reads ? 1 : 0;
        }
        assertEquals(1, readers);
        for (Map.Entry<String, Object> fn : functions.entrySet()) {
            Map<String, Object> vars = map(map(props(fn.getValue()).get("Environment")).get("Variables"));
            assertEquals(fn.getKey().startsWith("Verification"), vars.containsKey(Env.ARC_CALLBACK_TOKEN_SECRET_ARN), fn.getKey());
        }
    }

    @Test
    void signInMail_goesThroughTheStacksSesIdentity_andOnlyIntakeMaySendIt() {
        template.hasResourceProperties("AWS::SES::EmailIdentity", Match.objectLike(Map.of(
                "EmailIdentity", "no-reply@raregen.example",
                "ConfigurationSetAttributes", Match.objectLike(Map.of("ConfigurationSetName", Match.anyValue())))));
        template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
        Map<String, Object> policies = io.raregen.infra.Json.resources(template, "AWS::IAM::Policy");
        int senders = 0;
        for (Map.Entry<String, Object> policy : policies.entrySet()) {
            String text = String.valueOf(props(policy.getValue()).get("PolicyDocument"));
            boolean sends = text.contains("ses:SendEmail");
            assertEquals(policy.getKey().startsWith("Intake"), sends, policy.getKey());
            senders += sends ? 1 : 0;
            // every function builds the accounts service at init and must read the code key
            assertTrue(text.contains("SecretsAccountsCodeKey"), policy.getKey() + " reads the sign-in code key");
        }
        assertEquals(1, senders);
        for (Map.Entry<String, Object> fn : functions.entrySet()) {
            Map<String, Object> vars = map(map(props(fn.getValue()).get("Environment")).get("Variables"));
            assertTrue(vars.containsKey(Env.ACCOUNTS_CODE_KEY_SECRET_ARN), fn.getKey());
            assertEquals("no-reply@raregen.example", vars.get(Env.ACCOUNTS_MAIL_FROM), fn.getKey());
        }
    }

    @Test
    void receiptKey_isReadByTheTwoFunctionsThatSignReceipts_byArnOnly() {
        for (Map.Entry<String, Object> fn : functions.entrySet()) {
            Map<String, Object> vars = map(map(props(fn.getValue()).get("Environment")).get("Variables"));
            boolean signs = fn.getKey().startsWith("Intake") || fn.getKey().startsWith("Verification");
            assertEquals(signs, vars.containsKey(Env.RECEIPT_KEY_SECRET_ARN), fn.getKey());
        }
    }

    @Test
    void functions_runInTheAppSubnets_behindTheirSecurityGroup() {
        for (Object fn : functions.values()) {
            String vpc = String.valueOf(props(fn).get("VpcConfig"));
            assertTrue(vpc.contains("appSubnet1") && vpc.contains("appSubnet2"), vpc);
            assertTrue(vpc.contains("LambdasSg"), vpc);
        }
    }

    @Test
    void everyFunctionKind_isDeployed() {
        assertEquals(Set.of(ApiFunctionKind.values()), TestApps.defaults().api().functions().keySet());
    }
}
