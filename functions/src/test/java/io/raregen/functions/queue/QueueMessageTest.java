package io.raregen.functions.queue;

import io.micronaut.context.ApplicationContext;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The two body forms of the queue contract, and the bounds of {@code raregen.queue.max-ids-per-message}. */
class QueueMessageTest {

    private static final JobId A = new JobId("01JDAAAAAAAAAAAAAAAAAAAAAA");
    private static final JobId B = new JobId("01JDBBBBBBBBBBBBBBBBBBBBBB");
    private static final JobId C = new JobId("01JDCCCCCCCCCCCCCCCCCCCCCC");

    @Test
    void oneId_isTheSingularForm_exactlyAsBefore() {
        assertEquals("{\"jobId\":\"01JDAAAAAAAAAAAAAAAAAAAAAA\"}", QueueMessage.body(A));
        assertEquals(QueueMessage.body(A), QueueMessage.body(List.of(A)));
    }

    @Test
    void severalIds_areThePluralForm_inOrder() {
        String body = QueueMessage.body(List.of(A, B, C));
        assertEquals("{\"jobIds\":[\"01JDAAAAAAAAAAAAAAAAAAAAAA\",\"01JDBBBBBBBBBBBBBBBBBBBBBB\",\"01JDCCCCCCCCCCCCCCCCCCCCCC\"]}", body);
        assertEquals(List.of(A.value(), B.value(), C.value()), QueueBodies.jobIds(body));
    }

    @Test
    void noIds_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> QueueMessage.body(List.of()));
    }

    @Test
    void maxIdsPerMessage_mustBeBetweenOneAnd500() {
        assertThrows(IllegalArgumentException.class, () -> config(0));
        assertThrows(IllegalArgumentException.class, () -> config(501));
        assertEquals(1, config(1).maxIdsPerMessage());
        assertEquals(500, config(500).maxIdsPerMessage());
    }

    @Test
    void maxIdsPerMessage_is50OnTheNettyHost_and1OnLambda() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of())) {
            assertEquals(50, ctx.getBean(QueueConfiguration.class).maxIdsPerMessage());
        }
        // the Lambda host refuses to start without its receipt key (the SnapStart primer signs a receipt)
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("raregen.receipts.signing-key",
                "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"), "lambda")) {
            assertEquals(1, ctx.getBean(QueueConfiguration.class).maxIdsPerMessage());
        }
    }

    private static QueueConfiguration config(int maxIds) {
        return new QueueConfiguration(null, 1, Duration.ZERO, Duration.ofSeconds(3), maxIds, true, 10_000);
    }
}
