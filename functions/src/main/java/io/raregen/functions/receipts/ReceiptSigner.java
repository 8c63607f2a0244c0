package io.raregen.functions.receipts;

import io.raregen.core.receipt.AcceptanceStatement;
import io.raregen.core.receipt.ReceiptSignatures;
import io.raregen.core.types.JobId;
import jakarta.inject.Singleton;

import java.time.Instant;

/** Signs acceptance receipts with the current receipt key. */
@Singleton
public class ReceiptSigner {
    private final ReceiptKeys keys;

    public ReceiptSigner(ReceiptKeys keys) {
        this.keys = keys;
    }

    /** The receipt for a job; the same inputs give the same receipt (RFC 6979 signatures). */
    public AcceptanceReceipt sign(JobId jobId, String envelopeSha256, Instant acceptedAt) {
        AcceptanceStatement s = new AcceptanceStatement(jobId, envelopeSha256, acceptedAt, keys.serviceName(), keys.keyId());
        return new AcceptanceReceipt(AcceptanceReceipt.Statement.of(s), ReceiptSignatures.sign(s, keys.signingKey()),
                keys.signingKey().publicKey().hex());
    }
}
