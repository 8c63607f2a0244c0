package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Everything needed to verify a publication without trusting the service: the signed transaction,
 * the outputs it spends (for the FORKID sighash), the record output and the client's envelope,
 * and once mined the block and the BUMP merkle path.
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
        @Nullable Integer blockHeight) {

    /** A spent output, in the transaction's input order; lockingScript is hex. */
    @Serdeable
    public record ProofInput(String txid, int vout, long satoshis, @Nullable String lockingScript) {
    }
}
