package io.raregen.cli.publish;

import java.util.List;

/** Job statuses in the order a job moves through them (docs/ARCHITECTURE.md#invariants, I5); failed is final too. */
public final class JobStatus {
    public static final List<String> ORDER = List.of("queued", "processing", "signed", "sent", "mined");

    private JobStatus() {
    }

    /** True when {@code status} is at or past {@code target}, or final (failed). */
    public static boolean reached(String status, WaitTarget target) {
        return reached(status, target.status());
    }

    /**
     * True when {@code status} is at or past {@code target}, or final (failed).
     *
     * @throws IllegalArgumentException when {@code target} is not a job status, so a typo cannot
     *                                  turn into a wait that never ends
     */
    public static boolean reached(String status, String target) {
        int t = ORDER.indexOf(target);
        if (t < 0) {
            throw new IllegalArgumentException("not a job status to wait for: " + target);
        }
        if (status == null) {
            return false;
        }
        if ("failed".equals(status)) {
            return true;
        }
        int s = ORDER.indexOf(status);
        return s >= 0 && s >= t;
    }
}
