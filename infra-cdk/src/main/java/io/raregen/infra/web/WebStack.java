package io.raregen.infra.web;

import io.raregen.infra.api.ApiStack;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.DistributionProps;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionProps;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicyProps;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.HttpOriginProps;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.BucketDeploymentProps;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The web app on the API's origin: one CloudFront distribution serves the static files of
 * {@code web/target/dist/} from a private S3 bucket (origin access control) and routes {@code /v1/*} and
 * {@code /health} to the HTTP API, so the page calls the API same-origin (no CORS) and both get the same
 * security headers.
 */
public class WebStack extends Stack {

    /**
     * Only this origin's scripts, styles, images and API; no inline script, no plugins, no framing. The
     * app's cryptography runs in its own bundle (WebCrypto, IndexedDB need no source list).
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** Paths CloudFront sends to API Gateway; everything else is the web app. */
    public static final List<String> API_PATHS = List.of("/v1/*", "/health");

    private final Bucket site;
    private final Distribution distribution;
    private final Bucket logs;
    private final BucketDeployment deployment;

    public WebStack(Construct scope, String id, StackProps props, ApiStack api, WebProps web) {
        super(scope, id, props);

        // CloudFront's standard logs are delivered with ACLs, so this bucket (only this one) keeps them on
        logs = new Bucket(this, "AccessLogs", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.OBJECT_WRITER)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
        site = new Bucket(this, "Site", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/")
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());

        ResponseHeadersPolicy headers = new ResponseHeadersPolicy(this, "SecurityHeaders", ResponseHeadersPolicyProps.builder()
                .comment("RareGen " + web.stage() + ": CSP, HSTS, nosniff, no framing, no referrer")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(CONTENT_SECURITY_POLICY).override(true).build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.days(365)).includeSubdomains(true).override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .frameOptions(ResponseHeadersFrameOptions.builder().frameOption(HeadersFrameOption.DENY).override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.NO_REFERRER).override(true).build())
                        .build())
                .build());

        // the app's own paths (/jobs/<id>, /ops) are served by index.html; files (a dot in the last segment) as they are.
        // A viewer-request function on the S3 behaviour only: a distribution-wide 404 → index.html rule would also
        // rewrite the API's problem responses
        software.amazon.awscdk.services.cloudfront.Function spaRouting = new software.amazon.awscdk.services.cloudfront.Function(
                this, "SpaRouting", FunctionProps.builder()
                .runtime(FunctionRuntime.JS_2_0)
                .comment("app routes to /index.html")
                .code(FunctionCode.fromInline("function handler(event) { var r = event.request;"
                        + " var last = r.uri.substring(r.uri.lastIndexOf('/') + 1);"
                        + " if (last.indexOf('.') < 0) { r.uri = '/index.html'; } return r; }"))
                .build());

        // https://<id>.execute-api.<region>.amazonaws.com → its host name
        HttpOrigin apiOrigin = new HttpOrigin(Fn.select(2, Fn.split("/", api.httpApi().getApiEndpoint())),
                HttpOriginProps.builder().protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY).build());
        BehaviorOptions apiBehavior = BehaviorOptions.builder()
                .origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                // everything the API reads (Authorization, Content-Type, query) except Host, which must be API Gateway's
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .responseHeadersPolicy(headers)
                .build();
        distribution = new Distribution(this, "Distribution", DistributionProps.builder()
                .comment("RareGen " + web.stage() + " web app and API")
                .defaultRootObject("index.html")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(site))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(headers)
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .function(spaRouting).eventType(FunctionEventType.VIEWER_REQUEST).build()))
                        .build())
                .additionalBehaviors(Map.of(API_PATHS.get(0), apiBehavior, API_PATHS.get(1), apiBehavior))
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .enableLogging(true)
                .logBucket(logs)
                .logFilePrefix("cloudfront/")
                .build());

        deployment = new BucketDeployment(this, "Files", BucketDeploymentProps.builder()
                .sources(List.of(Source.asset(web.webDist())))
                .destinationBucket(site)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .memoryLimit(512)
                .build());

        new CfnOutput(this, "WebUrl", CfnOutputProps.builder()
                .value("https://" + distribution.getDistributionDomainName())
                .description("The web app and, on the same origin, the API (/v1/*, /health)")
                .build());
    }

    public Distribution distribution() {
        return distribution;
    }

    public Bucket site() {
        return site;
    }

    public Bucket logs() {
        return logs;
    }

    public BucketDeployment deployment() {
        return deployment;
    }

    /** @param webDist the built web app (web/target/dist/), relative to infra-cdk/ */
    public record WebProps(String stage, String webDist) {
    }
}
