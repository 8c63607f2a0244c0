package io.raregen.cli.publish;

import java.util.List;

/** Job statuses in the order a job moves through them (DESIGN.md §4); failed is final too. */
public final class JobStatus {
    public static final List<String> ORDER = List.of("queued", "processing", "signed", "sent", "mined");

    private JobStatus() {
    }

    /** True when {@code status} is at or past {@code target}, or final (failed). */
    public static boolean reached(String status, String target) {
        if (status == null) {
            return false;
        }
        if ("failed".equals(status)) {
            return true;
        }
        int s = ORDER.indexOf(status);
        int t = ORDER.indexOf(target);
        return s >= 0 && t >= 0 && s >= t;
    }

    public static boolean isFinal(String status) {
        return "failed".equals(status) || "mined".equals(status);
    }
}
