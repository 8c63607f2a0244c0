package io.raregen.broadcaster.broadcast;

import java.util.Objects;

/** Network status strings the pipeline acts on beyond ARC's own txStatus values. */
public final class NetworkStatus {
    /** The broadcaster has never heard of the txid (ARC 404): safe to send the same bytes again. */
    public static final String NOT_FOUND = "NOT_FOUND";

    private NetworkStatus() {
    }

    public static boolean isNotFound(BroadcastResult r) {
        return Objects.equals(NOT_FOUND, r.networkStatus());
    }
}
