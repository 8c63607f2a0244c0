package io.raregen.infra.data;

import static io.raregen.infra.Json.list;
import static io.raregen.infra.Json.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.ResourceNames;
import io.raregen.infra.TestApps;
import io.raregen.infra.network.NetworkStack;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class DatabaseTest {

    private static Template template;
    private static Map<String, Object> instance;

    @BeforeAll
    static void synth() {
        template = TestApps.template(TestApps.defaults().data());
        Map<String, Object> instances = io.raregen.infra.Json.resources(template, "AWS::RDS::DBInstance");
        assertEquals(1, instances.size());
        instance = props(instances.values().iterator().next());
    }

    @Test
    void postgres_isEncryptedAtRest_withTheDataKey() {
        assertEquals(true, instance.get("StorageEncrypted"));
        assertTrue(instance.containsKey("KmsKeyId"));
        assertEquals(false, instance.get("PubliclyAccessible"));
    }

    @Test
    void postgres_keepsAutomatedBackups_forPointInTimeRecovery() {
        assertEquals(7, ((Number) instance.get("BackupRetentionPeriod")).intValue());
        assertEquals(false, instance.get("DeleteAutomatedBackups"));
        assertEquals(true, instance.get("CopyTagsToSnapshot"));
    }

    @Test
    void postgres_isDeletionProtected_andMultiAz_byDefault() {
        assertEquals(true, instance.get("DeletionProtection"));
        assertEquals(true, instance.get("MultiAZ"));
        template.hasResource("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "DeletionPolicy", "Snapshot", "UpdateReplacePolicy", "Snapshot")));
    }

    @Test
    void postgres_forcesTls() {
        template.hasResourceProperties("AWS::RDS::DBParameterGroup", Match.objectLike(Map.of(
                "Parameters", Match.objectLike(Map.of("rds.force_ssl", "1")))));
    }

    @Test
    void postgres_plansForAnInMemoryWorkingSet() {
        template.hasResourceProperties("AWS::RDS::DBParameterGroup", Match.objectLike(Map.of(
                "Parameters", Match.objectLike(Map.of("random_page_cost", "1.1")))));
    }

    @Test
    void postgres_andProxy_liveInTheIsolatedDataSubnets() {
        Map<String, Object> groups = io.raregen.infra.Json.resources(template, "AWS::RDS::DBSubnetGroup");
        assertEquals(1, groups.size());
        String instanceSubnets = String.valueOf(props(groups.values().iterator().next()).get("SubnetIds"));
        String proxySubnets = String.valueOf(props(io.raregen.infra.Json.resources(template, "AWS::RDS::DBProxy")
                .values().iterator().next()).get("VpcSubnetIds"));
        for (String subnets : new String[] {instanceSubnets, proxySubnets}) {
            assertTrue(subnets.contains(NetworkStack.DATA_SUBNETS + "Subnet1") && subnets.contains(NetworkStack.DATA_SUBNETS + "Subnet2"), subnets);
            assertFalse(subnets.contains("public") || subnets.contains("appSubnet"), subnets);
        }
    }

    @Test
    void credentials_areGeneratedIntoSecretsManager_underTheSharedName() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "Name", ResourceNames.SECRET_DB,
                "GenerateSecretString", Match.objectLike(Map.of(
                        "SecretStringTemplate", "{\"username\":\"" + ResourceNames.DB_USER + "\"}")))));
        assertTrue(String.valueOf(instance.get("MasterUserPassword")).contains("resolve:secretsmanager"),
                "the password is a dynamic reference to the secret, never a literal");
    }

    @Test
    void rdsProxy_requiresTls_andFrontsTheInstance_forTheLambdas() {
        template.hasResourceProperties("AWS::RDS::DBProxy", Match.objectLike(Map.of(
                "EngineFamily", "POSTGRESQL",
                "RequireTLS", true)));
        template.resourceCountIs("AWS::RDS::DBProxyTargetGroup", 1);
    }

    @Test
    void postgres_acceptsConnectionsOnlyFromTheProxyAndTheBroadcaster() {
        Map<String, Object> ingress = io.raregen.infra.Json.resources(template, "AWS::EC2::SecurityGroupIngress");
        assertEquals(3, ingress.size(), "Lambdas->proxy, proxy->Postgres, broadcaster->Postgres");
        for (Object rule : ingress.values()) {
            Map<String, Object> p = props(rule);
            for (String port : new String[] {"FromPort", "ToPort"}) {
                Object value = p.get(port);
                // the proxy's own rule uses the instance's endpoint port attribute, which is 5432
                assertTrue(Integer.valueOf(ResourceNames.DB_PORT).equals(value)
                        || String.valueOf(value).contains("Endpoint.Port"), port + " " + value);
            }
            assertTrue(p.containsKey("SourceSecurityGroupId"), "from a security group, never a CIDR: " + p);
        }
        for (Object sg : io.raregen.infra.Json.resources(template, "AWS::EC2::SecurityGroup").values()) {
            Object inline = props(sg).get("SecurityGroupIngress");
            assertTrue(inline == null || list(inline).isEmpty(), "no inline CIDR ingress: " + inline);
        }
    }

    @Test
    void deletionProtection_andMultiAz_canBeTurnedOff_forADevStage() {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        NetworkStack network = new NetworkStack(app, "N", StackProps.builder().build(),
                new NetworkStack.NetworkProps("10.40.0.0/16", 1));
        DataStack data = new DataStack(app, "D", StackProps.builder().build(), network,
                new DataStack.DataProps("t4g.micro", false, false, 1));
        Map<String, Object> dev = props(io.raregen.infra.Json.resources(Template.fromStack(data), "AWS::RDS::DBInstance")
                .values().iterator().next());
        assertEquals(false, dev.get("DeletionProtection"));
        assertEquals(false, dev.get("MultiAZ"));
        assertEquals(1, ((Number) dev.get("BackupRetentionPeriod")).intValue(), "backups stay on even in dev");
        assertEquals("db.t4g.micro", dev.get("DBInstanceClass"));
    }
}
