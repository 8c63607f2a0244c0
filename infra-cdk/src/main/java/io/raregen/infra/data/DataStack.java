package io.raregen.infra.data;

import io.raregen.infra.network.NetworkStack;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.constructs.Construct;

/**
 * Everything stateful: the data key, Postgres + RDS Proxy, the queue + DLQ and the application secrets.
 * Deployed with termination protection; the compute stacks can be torn down and redeployed around it.
 */
public class DataStack extends Stack {

    private final Key key;
    private final Database database;
    private final PublishQueue queue;
    private final AppSecrets secrets;
    private final HistoryArchive archive;

    public DataStack(Construct scope, String id, StackProps props, NetworkStack network, DataProps data) {
        super(scope, id, props);
        key = new Key(this, "DataKey", KeyProps.builder()
                .description("RareGen data at rest: Postgres, queues, secrets")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(30))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());

        database = new Database(this, "Database", new Database.DatabaseProps(
                network.vpc(), NetworkStack.DATA_SUBNETS, network.lambdaSecurityGroup(),
                network.broadcasterSecurityGroup(), key, data.dbInstanceType(), data.multiAz(),
                data.deletionProtection(), data.backupRetentionDays()));
        queue = new PublishQueue(this, "PublishQueue", PublishQueue.PublishQueueProps.defaults(key));
        secrets = new AppSecrets(this, "Secrets");
        archive = new HistoryArchive(this, "HistoryArchive", key);
    }

    /** Where the broadcaster puts finished days of history (raregen.retention.*). */
    public HistoryArchive archive() {
        return archive;
    }

    public Key key() {
        return key;
    }

    public Database database() {
        return database;
    }

    public PublishQueue queue() {
        return queue;
    }

    public AppSecrets secrets() {
        return secrets;
    }

    public record DataProps(String dbInstanceType, boolean multiAz, boolean deletionProtection, int backupRetentionDays) {
    }
}
