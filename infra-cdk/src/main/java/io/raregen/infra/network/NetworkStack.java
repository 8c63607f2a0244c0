package io.raregen.infra.network;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import java.util.Map;
import software.constructs.Construct;

/**
 * The VPC and the security groups of the two compute tiers. The database and its proxy sit in isolated
 * subnets; their own security groups (in the data stack) admit only these two groups.
 */
public class NetworkStack extends Stack {

    /**
     * Subnets with a NAT route: the Lambdas and the broadcaster. Only ARC (and WhatsOnChain) go out through NAT;
     * the AWS APIs they call are reached through the VPC endpoints below.
     */
    public static final String APP_SUBNETS = "app";
    /** Subnets with no route out: RDS and RDS Proxy. */
    public static final String DATA_SUBNETS = "data";

    private final Vpc vpc;
    private final SecurityGroup lambdaSecurityGroup;
    private final SecurityGroup broadcasterSecurityGroup;

    public NetworkStack(Construct scope, String id, StackProps props, NetworkProps network) {
        super(scope, id, props);

        vpc = new Vpc(this, "Vpc", VpcProps.builder()
                .ipAddresses(IpAddresses.cidr(network.cidr()))
                .maxAzs(2)
                .natGateways(network.natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name(APP_SUBNETS).subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build(),
                        SubnetConfiguration.builder().name(DATA_SUBNETS).subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .build());

        LogGroup flowLogs = new LogGroup(this, "FlowLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.REJECT)
                .build());

        lambdaSecurityGroup = group("Lambdas", "RareGen API Lambdas", true);
        broadcasterSecurityGroup = group("Broadcaster", "RareGen broadcaster tasks", true);
        endpoints();
    }

    /**
     * The AWS services the Lambdas and the broadcaster call, reached inside the VPC instead of through NAT
     * (per-GB NAT charges, and the NAT gateways stop being on the path of every queue send): S3 as a gateway
     * endpoint (ECR's image layers live there), the rest as interface endpoints with private DNS in the app
     * subnets, so the SDKs' default endpoints resolve to them with no configuration. Their one security group
     * admits HTTPS from the Lambdas' and the broadcaster's groups only. No SES: nothing sends mail.
     */
    private void endpoints() {
        SubnetSelection app = SubnetSelection.builder().subnetGroupName(APP_SUBNETS).build();
        SecurityGroup endpointGroup = group("Endpoints", "RareGen VPC interface endpoints", false);
        for (SecurityGroup client : List.of(lambdaSecurityGroup, broadcasterSecurityGroup)) {
            endpointGroup.addIngressRule(client, Port.tcp(443), "HTTPS to the AWS APIs");
        }
        vpc.addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .subnets(List.of(app))
                .build());
        Map<String, InterfaceVpcEndpointAwsService> services = new java.util.LinkedHashMap<>();
        services.put("Sqs", InterfaceVpcEndpointAwsService.SQS);
        services.put("SecretsManager", InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
        services.put("EcrApi", InterfaceVpcEndpointAwsService.ECR);
        services.put("EcrDocker", InterfaceVpcEndpointAwsService.ECR_DOCKER);
        services.put("Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
        services.forEach((name, service) -> vpc.addInterfaceEndpoint(name + "Endpoint", InterfaceVpcEndpointOptions.builder()
                .service(service)
                .subnets(app)
                .privateDnsEnabled(true)
                .securityGroups(List.of(endpointGroup))
                .open(false)
                .build()));
    }

    private SecurityGroup group(String id, String description, boolean allowAllOutbound) {
        return new SecurityGroup(this, id + "Sg", SecurityGroupProps.builder()
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(allowAllOutbound)
                .build());
    }

    public Vpc vpc() {
        return vpc;
    }

    public SecurityGroup lambdaSecurityGroup() {
        return lambdaSecurityGroup;
    }

    public SecurityGroup broadcasterSecurityGroup() {
        return broadcasterSecurityGroup;
    }

    /** The address plan and NAT count. */
    public record NetworkProps(String cidr, int natGateways) {
        public NetworkProps {
            if (natGateways < 1) {
                throw new IllegalArgumentException("natGateways >= 1: the app subnets need a way to ARC and the AWS APIs");
            }
        }
    }
}
