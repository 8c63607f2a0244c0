package io.raregen.infra.broadcaster;

import io.raregen.infra.ResourceNames;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryProps;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.constructs.Construct;

/**
 * The ECR repository the broadcaster image is pushed to by {@code mvn jib:build} (no Docker daemon).
 * Its own stack because it must exist, and hold the image, before the broadcaster service is deployed.
 */
public class RegistryStack extends Stack {

    private final Repository repository;

    public RegistryStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        repository = new Repository(this, "BroadcasterRepository", RepositoryProps.builder()
                .repositoryName(ResourceNames.BROADCASTER_REPOSITORY)
                .imageScanOnPush(true)
                // a tag names one build for ever: a redeploy of tag X always runs the bytes that were tested as X
                .imageTagMutability(TagMutability.IMMUTABLE)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .description("keep the last 30 images for rollbacks")
                        .maxImageCount(30)
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
        new CfnOutput(this, "RepositoryUri", CfnOutputProps.builder()
                .value(repository.getRepositoryUri())
                .description("Push the broadcaster here: ./mvnw -pl broadcaster jib:build -Dimage=<uri>:<tag>")
                .build());
    }

    public Repository repository() {
        return repository;
    }
}
