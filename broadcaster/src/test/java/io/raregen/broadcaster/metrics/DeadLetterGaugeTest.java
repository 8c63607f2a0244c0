package io.raregen.broadcaster.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.support.LocalSqs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** raregen_dlq_messages against ElasticMQ: the queue's depth, NaN when unset or unreadable. */
class DeadLetterGaugeTest {

    @Test
    void depth_isTheQueuesVisibleMessages_NaNWhenUnsetOrUnreadable() {
        try (LocalSqs sqs = new LocalSqs()) {
            String dlq = sqs.createQueue();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DeadLetterGauge gauge = new DeadLetterGauge(sqs.client, dlq, registry);
            assertEquals(0.0, gauge.refresh());
            sqs.sendBodies(dlq, List.of("{\"jobId\":\"a\"}", "{\"jobId\":\"b\"}"));
            assertEquals(2.0, gauge.refresh());
            assertEquals(2.0, registry.get("raregen.dlq.messages").gauge().value());

            DeadLetterGauge unset = new DeadLetterGauge(sqs.client, "", new SimpleMeterRegistry());
            assertTrue(Double.isNaN(unset.refresh()));

            SimpleMeterRegistry r2 = new SimpleMeterRegistry();
            DeadLetterGauge missing = new DeadLetterGauge(sqs.client, dlq + "-gone", r2);
            assertThrows(RuntimeException.class, missing::refresh);
            assertTrue(Double.isNaN(r2.get("raregen.dlq.messages").gauge().value()));
        }
    }
}
