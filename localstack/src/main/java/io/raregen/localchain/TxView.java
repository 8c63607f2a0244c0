package io.raregen.localchain;

import java.time.Instant;
import java.util.List;

/**
 * What the chain knows of one transaction, in ARC's vocabulary: the body of GET /v1/tx/{txid}
 * and of callbacks. {@code merklePath} is BRC-74 binary as hex; block fields are null until mined.
 */
public record TxView(
        String txid,
        TxStatus status,
        String blockHash,
        Long blockHeight,
        String merklePath,
        String extraInfo,
        List<String> competingTxs,
        Instant timestamp) {

    public TxView {
        competingTxs = competingTxs == null ? List.of() : List.copyOf(competingTxs);
    }

    public boolean mined() {
        return status == TxStatus.MINED;
    }

    public TxView withStatus(TxStatus s, String info) {
        return new TxView(txid, s, blockHash, blockHeight, merklePath, info, competingTxs, Instant.now());
    }
}
