package io.raregen.infra.network;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC and the security groups of the two compute tiers. The database and its proxy sit in isolated
 * subnets; their own security groups (in the data stack) admit only these two groups.
 */
public class NetworkStack extends Stack {

    /** Subnets with a NAT route: the Lambdas and the broadcaster (ARC, SQS and Secrets Manager are public endpoints). */
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
