package io.raregen.broadcaster.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Deletes SQS messages once the database holds the truth (after a claim commits, or for poison).
 * Deletion runs off the pipeline's thread in batches of 10; a failed delete only means the
 * message comes back and finds nothing to claim.
 */
public final class MessageAcker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageAcker.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final ExecutorService executor;

    public MessageAcker(SqsClient sqs, String queueUrl, int threads) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sqs-acker");
            t.setDaemon(true);
            return t;
        });
    }

    public void ack(Collection<String> receiptHandles) {
        List<String> handles = new ArrayList<>();
        for (String h : receiptHandles) {
            if (h != null) {
                handles.add(h);
            }
        }
        for (int i = 0; i < handles.size(); i += 10) {
            List<String> group = handles.subList(i, Math.min(handles.size(), i + 10));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(group.size());
            for (int k = 0; k < group.size(); k++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(k)).receiptHandle(group.get(k)).build());
            }
            executor.execute(() -> {
                try {
                    DeleteMessageBatchResponse r = sqs.deleteMessageBatch(
                            DeleteMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build());
                    if (!r.failed().isEmpty()) {
                        LOG.warn("{} SQS deletes failed; those messages will come back and be acknowledged then", r.failed().size());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("SQS delete failed: {}", e.toString());
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
