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
        for (Object sg : Json.resources(template, "AWS::EC2::SecurityGroup").values()) {
            assertEquals(null, props(sg).get("SecurityGroupIngress"), "nothing connects to the Lambdas or the broadcaster");
        }
        template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    }
}
