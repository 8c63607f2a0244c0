package io.raregen.infra.network;

import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.Json;
import io.raregen.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class NetworkStackTest {

    private static Template template;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().network());
    }

    @Test
    void vpc_hasPublicAppAndIsolatedDataSubnets_inTwoZones() {
        Map<String, Object> subnets = Json.resources(template, "AWS::EC2::Subnet");
        assertEquals(6, subnets.size());
        for (String tier : List.of("public", NetworkStack.APP_SUBNETS, NetworkStack.DATA_SUBNETS)) {
            assertEquals(2, subnets.keySet().stream().filter(id -> id.startsWith("Vpc" + tier + "Subnet")).count(), tier);
        }
        assertEquals(2, Json.resources(template, "AWS::EC2::NatGateway").size(), "one NAT per zone by default");
    }

    @Test
    void dataSubnets_haveNoRouteOut_andNoSubnetMapsPublicIpsExceptPublic() {
        Map<String, Object> routes = Json.resources(template, "AWS::EC2::Route");
        for (Map.Entry<String, Object> route : routes.entrySet()) {
            assertFalse(route.getKey().startsWith("Vpc" + NetworkStack.DATA_SUBNETS), "isolated: " + route.getKey());
        }
        assertTrue(routes.keySet().stream().anyMatch(id -> id.startsWith("Vpc" + NetworkStack.APP_SUBNETS)
                && String.valueOf(props(routes.get(id))).contains("NatGatewayId")), "app subnets egress through NAT");
        for (Map.Entry<String, Object> subnet : Json.resources(template, "AWS::EC2::Subnet").entrySet()) {
            boolean mapsPublicIp = Boolean.TRUE.equals(props(subnet.getValue()).get("MapPublicIpOnLaunch"));
            assertEquals(subnet.getKey().startsWith("Vpcpublic"), mapsPublicIp, subnet.getKey());
        }
    }

    @Test
    void rejectedTraffic_isLoggedByFlowLogs() {
        template.hasResourceProperties("AWS::EC2::FlowLog", Match.objectLike(Map.of(
                "TrafficType", "REJECT", "LogDestinationType", "cloud-watch-logs")));
    }

    @Test
    void computeSecurityGroups_acceptNoInboundTraffic() {
        for (Map.Entry<String, Object> sg : Json.resources(template, "AWS::EC2::SecurityGroup").entrySet()) {
            if (sg.getKey().startsWith("EndpointsSg")) {
                continue;
            }
            assertEquals(null, props(sg.getValue()).get("SecurityGroupIngress"), "nothing connects to the Lambdas or the broadcaster");
        }
        // the interface endpoints' one group: HTTPS from the two compute groups, nothing else
        Map<String, Object> ingress = Json.resources(template, "AWS::EC2::SecurityGroupIngress");
        assertEquals(2, ingress.size(), ingress.keySet().toString());
        for (Object rule : ingress.values()) {
            Map<String, Object> p = props(rule);
            assertEquals(443, ((Number) p.get("FromPort")).intValue());
            assertEquals(443, ((Number) p.get("ToPort")).intValue());
            assertTrue(String.valueOf(p.get("GroupId")).contains("EndpointsSg"), p.toString());
            assertTrue(String.valueOf(p.get("SourceSecurityGroupId")).matches(".*(LambdasSg|BroadcasterSg).*"), p.toString());
        }
    }

    @Test
    void awsApis_areReachedThroughVpcEndpoints_notNat() {
        Map<String, Object> endpoints = Json.resources(template, "AWS::EC2::VPCEndpoint");
        List<String> services = endpoints.values().stream().map(e -> String.valueOf(props(e).get("ServiceName"))).toList();
        for (String service : List.of(".s3", ".sqs", ".secretsmanager", ".ecr.api", ".ecr.dkr", ".logs")) {
            assertTrue(services.stream().anyMatch(s -> s.contains(service)), service + " in " + services);
        }
        assertEquals(6, endpoints.size(), services.toString());
        for (Object e : endpoints.values()) {
            Map<String, Object> p = props(e);
            if (String.valueOf(p.get("ServiceName")).contains(".s3")) {
                assertEquals("Gateway", p.get("VpcEndpointType"));
                assertTrue(String.valueOf(p.get("RouteTableIds")).contains("Vpc" + NetworkStack.APP_SUBNETS), "on the app subnets' routes");
            } else {
                assertEquals("Interface", p.get("VpcEndpointType"));
                assertEquals(true, p.get("PrivateDnsEnabled"), "the SDKs' default host names resolve to the endpoint");
                assertTrue(String.valueOf(p.get("SubnetIds")).contains("Vpc" + NetworkStack.APP_SUBNETS), "in the app subnets");
            }
        }
    }
}
