package io.raregen.localchain.faults;

/**
 * One consistent set of fault switches. Rates are fractions in [0, 1] drawn from a random
 * generator seeded with {@code seed}, so a run is repeatable. All zero means no fault.
 *
 * @param latencyMs              added before every ARC request (POST /v1/tx, /v1/txs, GET /v1/tx/{txid})
 * @param errorRate              fraction of ARC requests answered {@code errorStatus} without processing them
 * @param errorStatus            the 5xx status used for {@code errorRate} (default 503)
 * @param timeoutAfterAcceptRate fraction of submits that are processed (accepted) and then hang for
 *                               {@code hangMs} before the connection is closed without an answer
 * @param hangMs                 how long a "timeout after accept" hangs (default 60000, past any client timeout)
 * @param dropResponseRate       fraction of submits that are processed and then closed without an answer at once
 * @param orphanForMs            accepted transactions show SEEN_IN_ORPHAN_MEMPOOL for this long before SEEN_ON_NETWORK
 * @param storedForMs            accepted transactions show STORED for this long before SEEN_ON_NETWORK
 * @param rejectRate             fraction of transactions rejected (txStatus REJECTED) whatever their validity
 * @param rejectNext             the next N transactions are rejected (counts down)
 * @param seed                   seed of the random generator behind every rate
 */
public record FaultSettings(
        long latencyMs,
        double errorRate,
        int errorStatus,
        double timeoutAfterAcceptRate,
        long hangMs,
        double dropResponseRate,
        long orphanForMs,
        long storedForMs,
        double rejectRate,
        int rejectNext,
        long seed) {

    public static final FaultSettings NONE = new FaultSettings(0, 0, 503, 0, 60_000, 0, 0, 0, 0, 0, 42);

    public FaultSettings {
        requireRate("errorRate", errorRate);
        requireRate("timeoutAfterAcceptRate", timeoutAfterAcceptRate);
        requireRate("dropResponseRate", dropResponseRate);
        requireRate("rejectRate", rejectRate);
        if (latencyMs < 0 || hangMs < 0 || orphanForMs < 0 || storedForMs < 0 || rejectNext < 0) {
            throw new IllegalArgumentException("durations and counts must be >= 0");
        }
        if (errorStatus == 0) {
            errorStatus = 503;
        }
        if (errorStatus < 500 || errorStatus > 599) {
            throw new IllegalArgumentException("errorStatus must be a 5xx status");
        }
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]");
        }
    }
}
