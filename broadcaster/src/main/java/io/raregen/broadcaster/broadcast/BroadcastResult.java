package io.raregen.broadcaster.broadcast;

import io.raregen.core.types.Txid;

import java.util.List;

/** What the network said about one transaction. */
public record BroadcastResult(
        Txid txid,
        Outcome outcome,
        String networkStatus,
        String errorCode,
        String detail,
        List<Txid> competingTxs,
        String blockHash,
        Integer blockHeight,
        String merklePathHex) {

    public enum Outcome {
        /** In the mempool or further (SEEN_ON_NETWORK, ACCEPTED_BY_NETWORK, already known, ...). */
        ACCEPTED,
        /** In a block. */
        MINED,
        /** Received but not yet seen (QUEUED..SENT_TO_NETWORK, SEEN_IN_ORPHAN_MEMPOOL, missing inputs): re-check later. */
        IN_FLIGHT,
        /** A different transaction spends one of our inputs (DOUBLE_SPEND_ATTEMPTED, mempool conflict). */
        CONFLICT,
        /** Definitively refused (46x, REJECTED). */
        REJECTED,
        /** Timeout, 5xx, connection error: the transaction may or may not have been accepted. */
        UNKNOWN
    }
}
