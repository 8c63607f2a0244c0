package io.raregen.infra.data;

import io.raregen.infra.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.CaCertificate;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsBaseOptions;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseInstanceProps;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.DatabaseProxyOptions;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * RDS PostgreSQL 16: encrypted with the data key, automated backups with point-in-time recovery,
 * TLS forced, credentials generated into Secrets Manager, and an RDS Proxy that the Lambdas use so a burst
 * of cold starts cannot exhaust Postgres connections.
 */
public class Database extends Construct {

    private final DatabaseInstance instance;
    private final DatabaseProxy proxy;

    public Database(Construct scope, String id, DatabaseProps props) {
        super(scope, id);
        SubnetSelection dataSubnets = SubnetSelection.builder().subnetGroupName(props.subnetGroupName()).build();

        // who reaches Postgres: the Lambdas only through the proxy, the broadcaster directly, nothing else
        Port postgres = Port.tcp(ResourceNames.DB_PORT);
        SecurityGroup proxySg = new SecurityGroup(this, "ProxySg", SecurityGroupProps.builder()
                .vpc(props.vpc()).description("RDS Proxy in front of RareGen Postgres").allowAllOutbound(false).build());
        SecurityGroup databaseSg = new SecurityGroup(this, "DatabaseSg", SecurityGroupProps.builder()
                .vpc(props.vpc()).description("RareGen Postgres").allowAllOutbound(false).build());
        proxySg.addIngressRule(props.proxyClients(), postgres, "Lambdas to the proxy");
        // proxy -> Postgres is added by addProxy below (on the instance's endpoint port)
        databaseSg.addIngressRule(props.directClients(), postgres, "broadcaster to Postgres");

        instance = new DatabaseInstance(this, "Postgres", DatabaseInstanceProps.builder()
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_16)
                        .build()))
                .instanceType(new InstanceType(props.instanceType()))
                .vpc(props.vpc())
                .vpcSubnets(dataSubnets)
                .securityGroups(List.of(databaseSg))
                .publiclyAccessible(false)
                .databaseName(ResourceNames.DB_NAME)
                .port(ResourceNames.DB_PORT)
                .credentials(Credentials.fromGeneratedSecret(ResourceNames.DB_USER, CredentialsBaseOptions.builder()
                        .secretName(ResourceNames.SECRET_DB)
                        // aws/secretsmanager key: see AppSecrets for why not the data key
                        .build()))
                .storageEncrypted(true)
                .storageEncryptionKey(props.key())
                .storageType(StorageType.GP3)
                .allocatedStorage(50)
                .maxAllocatedStorage(500)
                .multiAz(props.multiAz())
                // automated backups are what point-in-time recovery restores from
                .backupRetention(Duration.days(props.backupRetentionDays()))
                .preferredBackupWindow("03:00-04:00")
                .preferredMaintenanceWindow("sun:04:30-sun:05:30")
                .copyTagsToSnapshot(true)
                .deleteAutomatedBackups(false)
                .deletionProtection(props.deletionProtection())
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .iamAuthentication(true)
                .caCertificate(CaCertificate.RDS_CA_RSA2048_G1)
                .parameters(Map.of(
                        "rds.force_ssl", "1",
                        // statements stuck longer than this are bugs: a claim or reserve never takes a minute
                        "idle_in_transaction_session_timeout", "60000",
                        "log_min_duration_statement", "1000",
                        // gp3 SSD and a working set in memory: with the default 4 the planner read whole
                        // tables instead of probing indexes for the broadcaster's batch joins (the
                        // broadcaster also sets this per transaction: PlannerCosts)
                        "random_page_cost", "1.1"))
                .cloudwatchLogsExports(List.of("postgresql", "upgrade"))
                .cloudwatchLogsRetention(RetentionDays.ONE_MONTH)
                .enablePerformanceInsights(true)
                .performanceInsightEncryptionKey(props.key())
                .monitoringInterval(Duration.seconds(60))
                .autoMinorVersionUpgrade(true)
                .build());

        proxy = instance.addProxy("Proxy", DatabaseProxyOptions.builder()
                .vpc(props.vpc())
                .vpcSubnets(dataSubnets)
                .securityGroups(List.of(proxySg))
                .secrets(List.of(instance.getSecret()))
                .requireTls(true)
                .iamAuth(false)
                .borrowTimeout(Duration.seconds(10))
                .maxConnectionsPercent(70)
                .build());
    }

    public DatabaseInstance instance() {
        return instance;
    }

    public DatabaseProxy proxy() {
        return proxy;
    }

    /** The generated master credentials (JSON: username, password, host, port, dbname, engine). */
    public ISecret secret() {
        return Objects.requireNonNull(instance.getSecret());
    }

    /** JDBC URL of the instance (the broadcaster). */
    public String instanceJdbcUrl() {
        return jdbcUrl(instance.getDbInstanceEndpointAddress());
    }

    /** JDBC URL of the proxy (the Lambdas). */
    public String proxyJdbcUrl() {
        return jdbcUrl(proxy.getEndpoint());
    }

    private static String jdbcUrl(String host) {
        return "jdbc:postgresql://" + host + ":" + ResourceNames.DB_PORT + "/" + ResourceNames.DB_NAME + "?sslmode=require";
    }

    /**
     * Where and how big; deletion protection and Multi-AZ are parameters because dev stages turn them off.
     *
     * @param proxyClients the security group allowed to the proxy (the Lambdas)
     * @param directClients the security group allowed to Postgres itself (the broadcaster)
     */
    public record DatabaseProps(IVpc vpc, String subnetGroupName, ISecurityGroup proxyClients,
                                ISecurityGroup directClients, IKey key, String instanceType,
                                boolean multiAz, boolean deletionProtection, int backupRetentionDays) {
    }
}
