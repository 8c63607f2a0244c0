package io.raregen.functions.priming;

import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.OrderedResource;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SnapStart priming with nothing outside the process: the database and the queue point at a port where
 * nothing listens, so any step that reached for either would fail the test.
 */
class RequestPathPrimerTest {

    @Test
    void beforeCheckpoint_primesThePublishPath_withoutDatabaseOrQueue() {
        Map<String, Object> props = Map.of(
                "datasources.default.url", "jdbc:postgresql://127.0.0.1:1/nothing",
                "datasources.default.connection-timeout", "250",
                "raregen.queue.url", "http://127.0.0.1:1/000000000000/nothing",
                "raregen.aws.endpoint", "http://127.0.0.1:1",
                "micronaut.server.port", "-1");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            RequestPathPrimer primer = ctx.getBean(RequestPathPrimer.class);
            assertTrue(ctx.getBeansOfType(OrderedResource.class).contains(primer), "registered as a CRaC resource");
            assertDoesNotThrow(() -> primer.beforeCheckpoint(null));
            RequestPathPrimer.Primed primed = primer.prime();
            assertEquals(KeyPair.fromPrivateKeyHex(RequestPathPrimer.PRIMING_KEY_HEX)
                    .publicKey().hex(), primed.verifiedKey(), "the envelope was really verified");
            assertTrue(primed.acceptedBodyBytes() > 40 && primed.problemBodyBytes() > 40, primed.toString());
            assertDoesNotThrow(() -> primer.afterRestore(null));
        }
    }
}
