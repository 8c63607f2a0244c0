package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Everything needed to verify a publication without trusting the service: the signed transaction,
 * the outputs it spends (for the FORKID sighash), the record output and the client's envelope,
 * and once mined the block and the BUMP merkle path. For an anchor-mode job the transaction is its batch's anchor
 * transaction ({@code outputIndex} is the anchor output) and {@code anchor} leads from the record to its root.
 */
@Serdeable
public record ProofView(
        String jobId,
        String status,
        String txid,
        String rawTx,
        List<ProofInput> inputs,
        int outputIndex,
        String signedPayload,
        String signature,
        String pubkey,
        @Nullable String merklePath,
        @Nullable String blockHash,
        @Nullable Integer blockHeight,
        @Nullable AnchorView anchor) {

    /** A spent output, in the transaction's input order; lockingScript is hex. */
    @Serdeable
    public record ProofInput(String txid, int vout, long satoshis, @Nullable String lockingScript) {
    }
}
