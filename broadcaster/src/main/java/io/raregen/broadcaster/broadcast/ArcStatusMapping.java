package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;

import java.util.Locale;

/** ARC's txStatus values and 46x codes mapped to what the pipeline does next (docs/ARCHITECTURE.md#arc). */
final class ArcStatusMapping {
    private ArcStatusMapping() {
    }

    static Outcome forTxStatus(String txStatus, String extraInfo) {
        if (txStatus == null) {
            return Outcome.UNKNOWN;
        }
        switch (txStatus.toUpperCase(Locale.ROOT)) {
            case "MINED":
                return Outcome.MINED;
            case "SEEN_ON_NETWORK":
            case "ACCEPTED_BY_NETWORK":
            // ARC re-broadcasts after a reorg; the transaction was on the network.
            case "MINED_IN_STALE_BLOCK":
                return Outcome.ACCEPTED;
            case "QUEUED":
            case "RECEIVED":
            case "STORED":
            case "ANNOUNCED_TO_NETWORK":
            case "REQUESTED_BY_NETWORK":
            case "SENT_TO_NETWORK":
            // "missing inputs": usually the parent has not propagated yet
            case "SEEN_IN_ORPHAN_MEMPOOL":
                return Outcome.IN_FLIGHT;
            case "DOUBLE_SPEND_ATTEMPTED":
                return Outcome.CONFLICT;
            case "REJECTED":
                return forRejectionText(extraInfo);
            default:
                return Outcome.UNKNOWN;
        }
    }

    /** A REJECTED status is only as definitive as its reason. */
    static Outcome forRejectionText(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (t.contains("missing inputs") || t.contains("missing-inputs")) {
            return Outcome.IN_FLIGHT;
        }
        if (t.contains("mempool-conflict") || t.contains("double spend") || t.contains("double-spend")) {
            return Outcome.CONFLICT;
        }
        if (t.contains("already known") || t.contains("already in the mempool") || t.contains("txn-already-known")) {
            return Outcome.ACCEPTED;
        }
        return Outcome.REJECTED;
    }

    /** Per-transaction HTTP-like status inside a /v1/txs answer, or the status of a /v1/tx answer. */
    static Outcome forErrorStatus(int status, String detail) {
        if (status == 466) {
            return Outcome.CONFLICT;
        }
        if (status >= 460 && status <= 479) {
            String t = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
            if (t.contains("missing inputs")) {
                return Outcome.IN_FLIGHT;
            }
            return Outcome.REJECTED;
        }
        if (status == 400) {
            return Outcome.REJECTED;
        }
        // 401/403 (our configuration), 404, 409 (generic, including submit timeouts), 429, 5xx
        return Outcome.UNKNOWN;
    }
}
