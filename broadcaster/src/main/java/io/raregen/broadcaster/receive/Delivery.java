package io.raregen.broadcaster.receive;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One received SQS message and how many of the jobs it names are still to be claimed. A message may
 * name several jobs ({@code {"jobIds":[…]}}), and the collector may put them into different batches:
 * the message is deleted only once the claim of the last of them has committed, so a crash in between
 * leaves the message to come back rather than leaving jobs to the reconciler.
 */
public final class Delivery {
    private final String receiptHandle;
    private final AtomicInteger unsettled;

    public Delivery(String receiptHandle, int jobs) {
        if (receiptHandle == null || jobs < 1) {
            throw new IllegalArgumentException("a delivery needs a receipt handle and at least one job");
        }
        this.receiptHandle = receiptHandle;
        this.unsettled = new AtomicInteger(jobs);
    }

    public String receiptHandle() {
        return receiptHandle;
    }

    /** One of its jobs is claimed (or found claimed or unknown) and committed; true for the last one: delete now. */
    public boolean settle() {
        return unsettled.decrementAndGet() == 0;
    }
}
