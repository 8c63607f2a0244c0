package io.raregen.infra.api;

import io.raregen.infra.ResourceNames;
import io.raregen.infra.ResourceNames.Env;
import io.raregen.infra.api.ApiRoutes.ApiFunctionKind;
import io.raregen.infra.data.DataStack;
import io.raregen.infra.network.NetworkStack;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpApiProps;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AliasProps;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.ConfigurationSetProps;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.EmailIdentityProps;
import software.amazon.awscdk.services.ses.Identity;
import software.constructs.Construct;

/**
 * The HTTP API and the three Lambdas (one jar: intake, verification, status), each on Java 21 with SnapStart
 * on a published version behind the alias {@value #ALIAS}, which is what API Gateway invokes.
 */
public class ApiStack extends Stack {

    public static final String ALIAS = "live";

    private final HttpApi httpApi;
    private final EmailIdentity mailIdentity;
    private final HttpStage stage;
    private final Map<ApiFunctionKind, Function> functions = new EnumMap<>(ApiFunctionKind.class);
    private final Map<ApiFunctionKind, Alias> aliases = new EnumMap<>(ApiFunctionKind.class);

    public ApiStack(Construct scope, String id, StackProps props, NetworkStack network, DataStack data, ApiProps api) {
        super(scope, id, props);

        Code code = Code.fromAsset(api.functionsCode());
        Map<String, String> common = new LinkedHashMap<>();
        common.put("MICRONAUT_ENVIRONMENTS", "lambda");
        common.put(Env.AWS_REGION, getRegion());
        common.put(Env.NETWORK, api.network());
        common.put(Env.DATASOURCE_URL, data.database().proxyJdbcUrl());
        common.put(Env.DATASOURCE_USERNAME, ResourceNames.DB_USER);
        common.put(Env.DB_SECRET_ARN, data.database().secret().getSecretArn());
        common.put(Env.SECRETS_EPOCH, api.secretsEpoch());
        common.put(Env.METRICS_STAGE, api.stage());
        // the broadcaster is the only migrator (docs/OPERATIONS.md, "Migrations"); it deploys before this stack
        common.put(Env.FLYWAY_ENABLED, "false");
        // C1 only: API handlers are short; full JIT warm-up costs more than it returns on Lambda
        common.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");

        // sign-in codes go out through SES from this address (an email identity: SES mails it a link to verify it
        // once after the first deploy); sends are recorded by the configuration set's reputation metrics
        ConfigurationSet mailConfig = new ConfigurationSet(this, "MailConfiguration", ConfigurationSetProps.builder()
                .reputationMetrics(true)
                .sendingEnabled(true)
                .build());
        mailIdentity = new EmailIdentity(this, "MailIdentity", EmailIdentityProps.builder()
                .identity(Identity.email(api.mailFrom()))
                .configurationSet(mailConfig)
                .build());
        // every function builds the accounts service at init (the Lambda host creates its singletons eagerly),
        // and the Lambda environment requires the code key
        common.put(Env.ACCOUNTS_CODE_KEY_SECRET_ARN, data.secrets().accountsCodeKey().getSecretArn());
        common.put(Env.ACCOUNTS_MAIL_FROM, api.mailFrom());

        for (ApiFunctionKind kind : ApiFunctionKind.values()) {
            Map<String, String> env = new LinkedHashMap<>(common);
            if (kind == ApiFunctionKind.INTAKE || kind == ApiFunctionKind.VERIFICATION) {
                // both sign receipts: the 202 of POST /v1/publish and GET /v1/jobs/{id}/receipt
                env.put(Env.RECEIPT_KEY_SECRET_ARN, data.secrets().receiptKey().getSecretArn());
            }
            if (kind == ApiFunctionKind.INTAKE) {
                env.put(Env.QUEUE_URL, data.queue().queue().getQueueUrl());
                env.put(Env.ADMIN_TOKEN_SECRET_ARN, data.secrets().adminToken().getSecretArn());
                env.put(Env.OPS_DLQ_URL, data.queue().deadLetterQueue().getQueueUrl());
            }
            if (kind == ApiFunctionKind.VERIFICATION) {
                env.put(Env.ARC_URL, api.arcUrl());
                env.put(Env.ARC_CALLBACK_TOKEN_SECRET_ARN, data.secrets().arcCallbackToken().getSecretArn());
            }
            Function fn = function(kind, code, env, network);
            data.database().secret().grantRead(fn);
            data.secrets().accountsCodeKey().grantRead(fn);
            if (kind == ApiFunctionKind.INTAKE || kind == ApiFunctionKind.VERIFICATION) {
                data.secrets().receiptKey().grantRead(fn);
            }
            if (kind == ApiFunctionKind.INTAKE) {
                data.queue().queue().grantSendMessages(fn);
                // POST /v1/accounts/otp mails the sign-in code
                mailIdentity.grantSendEmail(fn);
                data.secrets().adminToken().grantRead(fn);
                // GET /v1/ops/summary shows the DLQ's depth: the attribute only, never a message
                data.queue().deadLetterQueue().grant(fn, "sqs:GetQueueAttributes");
            }
            if (kind == ApiFunctionKind.VERIFICATION) {
                data.secrets().arcCallbackToken().grantRead(fn);
            }
            functions.put(kind, fn);
            aliases.put(kind, new Alias(this, name(kind) + "Alias", AliasProps.builder()
                    .aliasName(ALIAS)
                    .version(fn.getCurrentVersion())
                    .build()));
        }

        httpApi = new HttpApi(this, "HttpApi", HttpApiProps.builder()
                .apiName("raregen-" + api.stage())
                .description("RareGen Publisher public API (" + api.stage() + ")")
                .createDefaultStage(false)
                .build());
        LogGroup accessLogs = new LogGroup(this, "AccessLogs", LogGroupProps.builder()
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        stage = httpApi.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .detailedMetricsEnabled(true)
                .throttle(ThrottleSettings.builder().rateLimit(api.rateLimit()).burstLimit(api.burstLimit()).build())
                .accessLogSettings(accessLogSettings(new LogGroupLogDestination(accessLogs)))
                .build());
        routeThrottling(api);

        Map<ApiFunctionKind, HttpLambdaIntegration> integrations = new EnumMap<>(ApiFunctionKind.class);
        for (ApiFunctionKind kind : ApiFunctionKind.values()) {
            integrations.put(kind, new HttpLambdaIntegration(name(kind) + "Integration", aliases.get(kind)));
        }
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            httpApi.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(route.method()))
                    .integration(integrations.get(route.function()))
                    .build());
        }

        new CfnOutput(this, "ApiUrl", CfnOutputProps.builder()
                .value(httpApi.getApiEndpoint())
                .description("Base URL of the RareGen API")
                .build());
    }

    private Function function(ApiFunctionKind kind, Code code, Map<String, String> env, NetworkStack network) {
        String name = name(kind);
        LogGroup logs = new LogGroup(this, name + "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        return new Function(this, name + "Function", FunctionProps.builder()
                .description("RareGen " + kind.name().toLowerCase(Locale.ROOT) + " API (Micronaut, payload 2.0)")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(ResourceNames.LAMBDA_HANDLER)
                .code(code)
                // CPU scales with memory: 2 GB starts Micronaut and verifies signatures well under a second
                .memorySize(2048)
                // HTTP API's integration timeout is 30 s; a request that needs longer is a bug
                .timeout(Duration.seconds(20))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .logGroup(logs)
                .environment(env)
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetGroupName(NetworkStack.APP_SUBNETS).build())
                .securityGroups(List.of(network.lambdaSecurityGroup()))
                .build());
    }

    /** Per-route limits on top of the stage default (CloudFormation's RouteSettings has no L2 property yet). */
    private void routeThrottling(ApiProps api) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ApiRoutes.PUBLISH_ROUTE, limits(api.publishRateLimit(), api.publishBurstLimit()));
        // registration and revocation are rare; a flood of them is abuse
        settings.put(ApiRoutes.REGISTER_ROUTE, limits(10, 20));
        settings.put(ApiRoutes.REVOKE_ROUTE, limits(1, 5));
        CfnStage cfnStage = (CfnStage) stage.getNode().getDefaultChild();
        cfnStage.addPropertyOverride("RouteSettings", settings);
    }

    private static Map<String, Object> limits(int rate, int burst) {
        return Map.of("ThrottlingRateLimit", rate, "ThrottlingBurstLimit", burst);
    }

    private static IAccessLogSettings accessLogSettings(IAccessLogDestination destination) {
        AccessLogFormat format = AccessLogFormat.custom("{\"requestId\":\"$context.requestId\","
                + "\"ip\":\"$context.identity.sourceIp\",\"requestTime\":\"$context.requestTime\","
                + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
                + "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\","
                + "\"latencyMs\":\"$context.responseLatency\",\"integrationLatencyMs\":\"$context.integrationLatency\","
                + "\"integrationError\":\"$context.integrationErrorMessage\"}");
        return new IAccessLogSettings() {
            @Override
            public IAccessLogDestination getDestination() {
                return destination;
            }

            @Override
            public AccessLogFormat getFormat() {
                return format;
            }
        };
    }

    private static String name(ApiFunctionKind kind) {
        String lower = kind.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public HttpStage stage() {
        return stage;
    }

    public Map<ApiFunctionKind, Function> functions() {
        return functions;
    }

    /**
     * @param functionsCode path of the shaded jar (or a directory) to deploy
     * @param rateLimit stage-wide steady requests per second; {@code burstLimit} its bucket size
     */
    public record ApiProps(String stage, String functionsCode, String network, String arcUrl,
                           int rateLimit, int burstLimit, int publishRateLimit, int publishBurstLimit,
                           String secretsEpoch, String mailFrom) {
    }
}
