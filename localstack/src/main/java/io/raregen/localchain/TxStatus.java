package io.raregen.localchain;

/** ARC's transaction statuses with their numeric order ("wait for" compares these numbers). */
public enum TxStatus {
    UNKNOWN(0),
    QUEUED(10),
    RECEIVED(20),
    STORED(30),
    ANNOUNCED_TO_NETWORK(40),
    REQUESTED_BY_NETWORK(50),
    SENT_TO_NETWORK(60),
    ACCEPTED_BY_NETWORK(70),
    SEEN_IN_ORPHAN_MEMPOOL(80),
    SEEN_ON_NETWORK(90),
    DOUBLE_SPEND_ATTEMPTED(100),
    REJECTED(110),
    MINED_IN_STALE_BLOCK(115),
    MINED(120);

    private final int order;

    TxStatus(int order) {
        this.order = order;
    }

    public int order() {
        return order;
    }

    public boolean atLeast(TxStatus other) {
        return order >= other.order;
    }

    /** Statuses at which a waiting submit answers at once, whatever X-WaitFor asked (as ARC does). */
    public boolean endsWait() {
        return this == SEEN_IN_ORPHAN_MEMPOOL || this == DOUBLE_SPEND_ATTEMPTED || this == REJECTED;
    }

    /** Parses an X-WaitFor value; null for a name ARC does not know. */
    public static TxStatus parseOrNull(String name) {
        if (name == null) {
            return null;
        }
        try {
            return TxStatus.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
