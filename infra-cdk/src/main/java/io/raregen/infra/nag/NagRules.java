package io.raregen.infra.nag;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.raregen.infra.RaregenApp.Stacks;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * cdk-nag's AwsSolutions pack on every stack, and every suppression with the reason it is acceptable.
 * An unsuppressed finding is an error annotation, which fails {@code cdk synth} and the tests.
 */
public final class NagRules {

    private NagRules() {
    }

    public static void apply(IConstruct app, Stacks stacks) {
        suppress(stacks);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).reports(false).build()));
    }

    private static void suppress(Stacks stacks) {
        suppressWeb(stacks);
        suppressArchive(stacks);
        // ---- data
        NagSuppressions.addResourceSuppressions(stacks.data().database().instance(), List.of(
                because("AwsSolutions-RDS11", "Postgres stays on 5432: the instance is in isolated subnets and its"
                        + " security group admits only the proxy and the broadcaster; a different port hides nothing"
                        + " from a client that is already inside those groups."),
                because("AwsSolutions-IAM4", "AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy for the"
                        + " Enhanced Monitoring role and grants only what RDS needs to publish OS metrics.",
                        List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")),
                because("AwsSolutions-SMG4", "The master credentials are rotated by the runbook in docs/OPERATIONS.md"
                        + " (rotate, then redeploy the broadcaster), not on a schedule: ECS injects the password at task"
                        + " start, so an unattended rotation would break the broadcaster's next new connection.")),
                true);
        for (var secret : List.of(stacks.data().secrets().arcToken(), stacks.data().secrets().poolWif(),
                stacks.data().secrets().fundingWif())) {
            NagSuppressions.addResourceSuppressions(secret, List.of(because("AwsSolutions-SMG4",
                    "Issued outside AWS (the ARC provider's token, the service's BSV keys): there is no rotation Lambda"
                            + " that could mint a new one. Rotating a WIF means moving the funds it controls; the"
                            + " runbook in docs/OPERATIONS.md does that by hand.")));
        }
        NagSuppressions.addResourceSuppressions(stacks.data().secrets().adminToken(), List.of(because("AwsSolutions-SMG4",
                "Operators rotate the admin token by hand with the runbook in docs/OPERATIONS.md; the Lambdas read it"
                        + " at cold start, so a scheduled rotation would need a redeploy anyway.")));
        NagSuppressions.addResourceSuppressions(stacks.data().secrets().receiptKey(), List.of(because("AwsSolutions-SMG4",
                "Rotated by hand (docs/OPERATIONS.md): the old public key must first be published as retired so that"
                        + " receipts already handed out keep verifying; a rotation Lambda cannot do that.")));
        NagSuppressions.addResourceSuppressions(stacks.data().secrets().accountsCodeKey(), List.of(because("AwsSolutions-SMG4",
                "Rotated by hand (docs/OPERATIONS.md): a new value voids the sign-in codes of the last 10 minutes, and the"
                        + " Lambdas read it at init, so a rotation needs a secrets-epoch bump and redeploy anyway.")));
        NagSuppressions.addResourceSuppressions(stacks.data().secrets().arcCallbackToken(), List.of(because("AwsSolutions-SMG4",
                "Rotated by hand (docs/OPERATIONS.md): ARC holds the old token for callbacks of transactions already"
                        + " sent, so a rotation must wait until those are mined; a scheduler cannot know that.")));
        // CDK's log-retention helper Lambda, created for the RDS log groups
        onStack(stacks.data(),
                because("AwsSolutions-IAM4", "The CDK log-retention helper Lambda uses AWSLambdaBasicExecutionRole"
                        + " to write its own logs; it is created and owned by aws-cdk-lib.",
                        List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
                because("AwsSolutions-IAM5", "The CDK log-retention helper sets retention on log groups whose names"
                        + " RDS chooses at runtime (/aws/rds/instance/<id>/*); aws-cdk-lib scopes it to logs:*RetentionPolicy.",
                        List.of("Resource::*")));

        // ---- broadcaster
        NagSuppressions.addResourceSuppressions(stacks.broadcaster().service().getTaskDefinition(), List.of(
                because("AwsSolutions-ECS2", "The environment holds only non-secret configuration (JDBC URL without"
                        + " credentials, queue URL, region, ARC URL, network, fee and pool thresholds, the collector's"
                        + " scrape config). Every secret (database password, ARC token, WIF keys) is an ECS secret"
                        + " from Secrets Manager; the tests assert that."),
                because("AwsSolutions-IAM5", "ecr:GetAuthorizationToken and the ssmmessages channel actions of ECS"
                        + " Exec have no resource-level permissions and must be granted on *; image pulls are scoped to"
                        + " the repository, and who may open an ECS Exec session is decided by ecs:ExecuteCommand on"
                        + " the operators' side.",
                        List.of("Resource::*"))),
                true);
        NagSuppressions.addResourceSuppressions(stacks.broadcaster().service().getTaskDefinition().getTaskRole(), List.of(
                NagPackSuppression.builder().id("AwsSolutions-IAM5")
                        .reason("The history archive: s3:PutObject and s3:GetObject (no list, no delete) on the objects"
                                + " under the broadcaster's prefix of the one archive bucket, whose keys are the days it"
                                + " archives (docs/OPERATIONS.md).")
                        .appliesTo(List.of(io.github.cdklabs.cdknag.RegexAppliesTo.builder()
                                .regex("/^Resource::.*HistoryArchiveBucket.*\\/raregen-archive\\/\\*$/").build()))
                        .build()),
                true);

        // ---- api
        for (Function fn : stacks.api().functions().values()) {
            NagSuppressions.addResourceSuppressions(fn, List.of(
                    because("AwsSolutions-L1", "Java 21 is the LTS runtime the functions jar is built and tested for"
                            + " (infra-cdk/README.md) and supports SnapStart; moving to the next LTS runtime"
                            + " is a deliberate change with a full test run, not a lint fix."),
                    because("AwsSolutions-IAM4", "AWSLambdaBasicExecutionRole (own logs) and"
                            + " AWSLambdaVPCAccessExecutionRole (ENIs in the app subnets) are the minimal AWS-maintained"
                            + " policies for a VPC Lambda; ENI actions have no resource-level scoping.",
                            List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")),
                    because("AwsSolutions-IAM5", "X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level"
                            + " permissions; the KMS wildcard actions (GenerateDataKey*, ReEncrypt*) are on the one data"
                            + " key and are what SQS needs to encrypt a message for the queue.",
                            List.of("Resource::*", "Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"))),
                    true);
            Annotations.of(fn).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "API Gateway invokes the alias 'live' on fn.getCurrentVersion(), a published version");
        }
        NagSuppressions.addResourceSuppressions(stacks.api().httpApi(), List.of(because("AwsSolutions-APIG4",
                "Authorization is in the request, checked by the function: every write carries an ECDSA secp256k1"
                        + " signature by a registered identity key over the canonical payload (docs/ARCHITECTURE.md,"
                        + " client contract); operator routes require the admin bearer token from Secrets Manager;"
                        + " ARC callbacks carry ARC's callback token; job, batch, proof, pool and health reads are"
                        + " public by design (anyone holding a job id may follow it, like a txid on chain).")),
                true);
    }

    private static void suppressArchive(Stacks stacks) {
        NagSuppressions.addResourceSuppressions(stacks.data().archive().logs(), List.of(because("AwsSolutions-S1",
                "This is the history archive's access-log bucket; logging its own accesses into itself would loop.")), true);
    }

    private static void suppressWeb(Stacks stacks) {
        NagSuppressions.addResourceSuppressions(stacks.web().logs(), List.of(because("AwsSolutions-S1",
                "This is the access-log bucket (the site bucket's S3 server access logs and CloudFront's standard"
                        + " logs go here); logging its own accesses into itself would loop.")), true);
        NagSuppressions.addResourceSuppressions(stacks.web().distribution(), List.of(
                because("AwsSolutions-CFR1", "A public publishing service: no country is excluded; abuse is limited by"
                        + " API Gateway's throttling and the signature every write carries."),
                because("AwsSolutions-CFR2", "No WAF web ACL in this app: the API behind /v1/* authenticates every write"
                        + " by signature and API Gateway throttles per route; an account-wide WAF can be attached per"
                        + " deployment (docs/OPERATIONS.md)."),
                because("AwsSolutions-CFR4", "The distribution uses the default *.cloudfront.net certificate, for which"
                        + " CloudFront does not let the minimum viewer TLS version be raised; with a custom domain and an"
                        + " ACM certificate set TLSv1.2_2021. HSTS is sent on every response.")), true);
        // the BucketDeployment custom resource: a Lambda and role created and owned by aws-cdk-lib
        onStack(stacks.web(),
                because("AwsSolutions-IAM4", "CDK's BucketDeployment handler Lambda writes its own logs with"
                        + " AWSLambdaBasicExecutionRole; it is created and owned by aws-cdk-lib.",
                        List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
                because("AwsSolutions-IAM5", "CDK's BucketDeployment handler copies the asset into the site bucket and"
                        + " invalidates the distribution: s3:* object actions on that bucket and the CDK asset bucket, and"
                        + " cloudfront:CreateInvalidation, which has no narrower resource form in the generated policy."),
                because("AwsSolutions-L1", "The BucketDeployment handler's runtime is chosen by aws-cdk-lib and moves"
                        + " with its upgrades."));
    }

    private static NagPackSuppression because(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private static NagPackSuppression because(String id, String reason, List<String> appliesTo) {
        return NagPackSuppression.builder().id(id).reason(reason).appliesTo(List.copyOf(appliesTo)).build();
    }

    private static void onStack(Stack stack, NagPackSuppression... suppressions) {
        NagSuppressions.addStackSuppressions(stack, List.of(suppressions), true);
    }
}
