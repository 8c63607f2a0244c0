package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/** The stored rows a proof is assembled from. */
public record ProofSource(
        String jobId,
        String status,
        @Nullable byte[] rawTx,
        @Nullable String txid,
        String signedPayload,
        String signature,
        String pubkey,
        @Nullable byte[] merklePath,
        @Nullable String blockHash,
        @Nullable Integer blockHeight,
        List<Spend> spends,
        @Nullable Anchored anchor) {

    /** An anchor-mode job's place in its batch (whose transaction {@code rawTx} and {@code txid} then are). */
    public record Anchored(String batchId, int leafIndex, int treeSize, byte[] path, String root) {
    }

    /** A row of {@code spends} for this transaction, with the locking script from {@code utxos} when known. */
    public record Spend(String txid, int vout, long satoshis, @Nullable byte[] lockingScript) {
    }
}
