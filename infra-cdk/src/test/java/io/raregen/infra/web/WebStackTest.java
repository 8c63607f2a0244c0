package io.raregen.infra.web;

import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.Json;
import io.raregen.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The web app behind CloudFront: private bucket by OAC, API paths to API Gateway, security headers. */
class WebStackTest {

    private static Template template;
    private static Map<String, Object> distribution;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().web());
        distribution = Json.map(props(Json.resources(template, "AWS::CloudFront::Distribution").values().iterator().next())
                .get("DistributionConfig"));
    }

    @Test
    void apiPaths_goToApiGateway_uncached_withEveryMethod() {
        List<Object> behaviors = Json.list(distribution.get("CacheBehaviors"));
        assertEquals(2, behaviors.size());
        for (Object b : behaviors) {
            Map<String, Object> behavior = Json.map(b);
            assertTrue(WebStack.API_PATHS.contains(behavior.get("PathPattern")), behavior.toString());
            assertEquals(7, Json.list(behavior.get("AllowedMethods")).size(), "POST and the rest reach the API");
            // Managed-CachingDisabled
            assertEquals("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", behavior.get("CachePolicyId"));
            assertEquals("https-only", behavior.get("ViewerProtocolPolicy"));
        }
        String origins = String.valueOf(distribution.get("Origins"));
        assertTrue(origins.contains("ApiEndpoint") || origins.contains("execute-api"), origins);
        assertTrue(origins.contains("https-only"), origins);
    }

    @Test
    void everythingElse_isThePrivateBucket_throughOriginAccessControl() {
        Map<String, Object> def = Json.map(distribution.get("DefaultCacheBehavior"));
        assertEquals("redirect-to-https", def.get("ViewerProtocolPolicy"));
        assertEquals("index.html", distribution.get("DefaultRootObject"));
        assertEquals(1, Json.resources(template, "AWS::CloudFront::OriginAccessControl").size());
        String origins = String.valueOf(distribution.get("Origins"));
        assertTrue(origins.contains("OriginAccessControlId"), origins);
        boolean blocked = Json.resources(template, "AWS::S3::Bucket").values().stream()
                .allMatch(b -> String.valueOf(props(b).get("PublicAccessBlockConfiguration")).contains("BlockPublicAcls=true"));
        assertTrue(blocked, "no bucket is public");
        String policies = String.valueOf(Json.resources(template, "AWS::S3::BucketPolicy"));
        assertTrue(policies.contains("cloudfront.amazonaws.com") && policies.contains("AWS:SourceArn"),
                "only this distribution may read the site bucket: " + policies);
        assertTrue(String.valueOf(def.get("FunctionAssociations")).contains("viewer-request"), "app routes → index.html");
    }

    @Test
    void responses_carryCspHstsNosniffAndFrameOptions() {
        Map<String, Object> config = Json.map(props(Json.resources(template, "AWS::CloudFront::ResponseHeadersPolicy")
                .values().iterator().next()).get("ResponseHeadersPolicyConfig"));
        Map<String, Object> security = Json.map(config.get("SecurityHeadersConfig"));
        assertEquals(WebStack.CONTENT_SECURITY_POLICY,
                Json.map(security.get("ContentSecurityPolicy")).get("ContentSecurityPolicy"));
        assertTrue(WebStack.CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        Map<String, Object> hsts = Json.map(security.get("StrictTransportSecurity"));
        assertEquals(31_536_000, ((Number) hsts.get("AccessControlMaxAgeSec")).intValue());
        assertEquals(true, Json.map(security.get("ContentTypeOptions")).get("Override"));
        assertEquals("DENY", Json.map(security.get("FrameOptions")).get("FrameOption"));
        String def = String.valueOf(distribution.get("DefaultCacheBehavior"));
        for (Object b : Json.list(distribution.get("CacheBehaviors"))) {
            assertTrue(String.valueOf(b).contains("ResponseHeadersPolicyId"), "the API answers carry them too");
        }
        assertTrue(def.contains("ResponseHeadersPolicyId"));
    }

    @Test
    void theBuiltAppIsDeployed_andLogsAreKept() {
        assertEquals(1, Json.resources(template, "Custom::CDKBucketDeployment").size());
        assertTrue(String.valueOf(distribution.get("Logging")).contains("cloudfront/"), "standard logs on");
    }
}
