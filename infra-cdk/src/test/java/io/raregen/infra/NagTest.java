package io.raregen.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raregen.infra.RaregenApp.Stacks;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.services.sqs.Queue;

/** cdk-nag's AwsSolutions pack over every stack: no unsuppressed error or warning, and it really ran. */
class NagTest {

    private static List<Stack> all(Stacks s) {
        return List.of(s.network(), s.data(), s.registry(), s.broadcaster(), s.api(), s.monitoring(), s.web());
    }

    @Test
    void awsSolutions_hasNoUnsuppressedFindings_inAnyStack() {
        Stacks stacks = TestApps.defaults();
        for (Stack stack : all(stacks)) {
            TestApps.template(stack);
            var errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            var warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            assertEquals(List.of(), errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).collect(Collectors.toList()),
                    stack.getStackName());
            assertEquals(List.of(), warnings.stream().map(m -> m.getId() + " " + m.getEntry().getData()).collect(Collectors.toList()),
                    stack.getStackName());
        }
    }

    @Test
    void everySuppression_carriesAReason() {
        Stacks stacks = TestApps.defaults();
        int suppressions = 0;
        for (Stack stack : all(stacks)) {
            String template = String.valueOf(TestApps.template(stack).toJSON());
            int from = 0;
            while ((from = template.indexOf("rules_to_suppress", from)) >= 0) {
                suppressions++;
                from++;
            }
        }
        assertTrue(suppressions > 0, "the suppressions are written into the templates' metadata");
        String api = String.valueOf(TestApps.template(stacks.api()).toJSON());
        assertTrue(api.contains("AwsSolutions-APIG4") && api.contains("ECDSA"), "APIG4 says why: signed requests");
    }

    @Test
    void theChecks_reallyRun_aPlainQueueIsFlagged() {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack stack = new Stack(app, "Bare");
        new Queue(stack, "Plain");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().reports(false).build()));
        var errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-SQS.*"));
        assertTrue(errors.size() >= 2, "SQS3 (no DLQ) and SQS4 (no TLS) at least: " + errors.size());
    }
}
