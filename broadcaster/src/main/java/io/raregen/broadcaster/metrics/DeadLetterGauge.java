package io.raregen.broadcaster.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code raregen_dlq_messages}: visible messages in the publish queue's dead-letter queue
 * ({@code raregen.queue.dlq-url}), the Prometheus side of the dlq-not-empty alarm. NaN while no DLQ is
 * configured or it could not be read, so an unknown depth never looks like an empty queue.
 */
public final class DeadLetterGauge {

    private final SqsClient sqs;
    private final String dlqUrl;
    private final AtomicReference<Double> depth = new AtomicReference<>(Double.NaN);

    public DeadLetterGauge(SqsClient sqs, String dlqUrl, MeterRegistry registry) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl == null || dlqUrl.isBlank() ? null : dlqUrl;
        Gauge.builder("raregen.dlq.messages", depth, AtomicReference::get)
                .description("visible messages in the dead-letter queue; NaN when not configured or unreadable")
                .register(registry);
    }

    /** Reads the DLQ's depth; returns it, or NaN. */
    public double refresh() {
        if (dlqUrl == null) {
            return Double.NaN;
        }
        try {
            String n = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build())
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            depth.set(n == null ? Double.NaN : Double.parseDouble(n));
        } catch (RuntimeException e) {
            depth.set(Double.NaN);
            throw e;
        }
        return depth.get();
    }
}
