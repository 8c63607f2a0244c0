package io.raregen.functions.receipts;

import io.raregen.functions.verification.AnchorView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.functions.verification.ProofView;

import java.util.List;

/**
 * GET /v1/jobs/{id}/receipt: one self-contained file that grows with the job. Always the signed
 * acceptance and the envelope bytes it covers; once sent, the transaction; once mined, a BEEF
 * (BRC-62) holding the transaction and its BUMP (BRC-74), and the block header. An anchor-mode job's transaction is
 * its batch's anchor transaction, and {@code anchor} carries the record's inclusion proof up to the root it holds.
 */
@Serdeable
public record ReceiptView(
        String format,
        String jobId,
        String status,
        AcceptanceReceipt acceptance,
        String envelope,
        @Nullable Transaction transaction,
        @Nullable Proof proof,
        @Nullable AnchorView anchor) {

    public static final String FORMAT = "raregen-receipt/1";

    /** The published transaction: raw hex, the record output's index, and the outputs it spends (for FORKID checks). */
    @Serdeable
    public record Transaction(String txid, String rawTx, int outputIndex, List<ProofView.ProofInput> inputs) {
    }

    /**
     * Proof of inclusion. {@code blockHeader} is the 80-byte header (hex) from the broadcaster's header
     * source, absent when none was stored; check it against a header source you trust.
     */
    @Serdeable
    public record Proof(String beef, String blockHash, int blockHeight, String merkleRoot, @Nullable String blockHeader) {
    }
}
