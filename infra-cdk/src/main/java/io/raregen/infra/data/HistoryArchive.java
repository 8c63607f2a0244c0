package io.raregen.infra.data;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NoncurrentVersionTransition;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

import java.util.List;

/**
 * The archive of finished history (the broadcaster's {@code raregen.retention.archive-bucket}): each finished day
 * of a partitioned table as a gzip JSON Lines object and its manifest. Private, encrypted with the data key,
 * versioned (an object the broadcaster writes again keeps its earlier version), kept when the stack goes, and moved to
 * Glacier Instant Retrieval after 30 days (still readable at once, for a receipt or an audit).
 */
public class HistoryArchive extends Construct {
    private final Bucket logs;
    private final Bucket bucket;

    public HistoryArchive(Construct scope, String id, IKey key) {
        super(scope, id);
        logs = new Bucket(this, "AccessLogs", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
        bucket = new Bucket(this, "Bucket", BucketProps.builder()
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("archive/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .transitions(List.of(Transition.builder()
                                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL).transitionAfter(Duration.days(30)).build()))
                        .noncurrentVersionTransitions(List.of(NoncurrentVersionTransition.builder()
                                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL).transitionAfter(Duration.days(30)).build()))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
    }

    public Bucket bucket() {
        return bucket;
    }

    /** The bucket of the archive's S3 server access logs. */
    public Bucket logs() {
        return logs;
    }
}
