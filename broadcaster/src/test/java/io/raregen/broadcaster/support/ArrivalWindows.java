package io.raregen.broadcaster.support;

import io.raregen.localchain.Arrival;

import java.time.Duration;
import java.util.List;

/** Counts over the local chain's arrival stamps: what a rate limit at the network's door sees. */
public final class ArrivalWindows {
    private ArrivalWindows() {
    }

    /**
     * The most arrivals in any window {@code [t, t + window)} that starts at an arrival (every arrival is tried as a
     * window start, so no window holds more). {@code arrivals} must be in arrival order, as the chain lists them.
     */
    public static int maxInWindow(List<Arrival> arrivals, Duration window) {
        long w = window.toMillis();
        int max = 0;
        int end = 0;
        for (int start = 0; start < arrivals.size(); start++) {
            long limit = arrivals.get(start).atMillis() + w;
            if (end < start) {
                end = start;
            }
            while (end < arrivals.size() && arrivals.get(end).atMillis() < limit) {
                end++;
            }
            max = Math.max(max, end - start);
        }
        return max;
    }

    /** What a token bucket of {@code capacity} per {@code period} lets through in any {@code window}: capacity + rate × window. */
    public static long bucketBound(long capacity, Duration period, Duration window) {
        return capacity + capacity * window.toMillis() / period.toMillis();
    }
}
