package io.raregen.functions.receipts;

import io.raregen.core.proof.Beef;
import io.raregen.core.proof.MerklePath;
import io.raregen.core.proof.MerklePathException;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;
import io.raregen.functions.status.StatusService;
import io.raregen.functions.verification.ProofView;
import io.raregen.functions.verification.VerificationService;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import jakarta.inject.Singleton;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Acceptance receipts (signed on the way out, never stored) and their upgrades as the job moves on. */
@Singleton
public class ReceiptService {
    private static final HexFormat HEX = HexFormat.of();

    private final ReceiptRepository repository;
    private final ReceiptSigner signer;
    private final ReceiptKeys keys;
    private final VerificationService proofs;

    public ReceiptService(ReceiptRepository repository, ReceiptSigner signer, ReceiptKeys keys, VerificationService proofs) {
        this.repository = repository;
        this.signer = signer;
        this.keys = keys;
        this.proofs = proofs;
    }

    /** The acceptance receipt of a stored job (a retry's answer): empty for jobs stored before receipts. */
    public Optional<AcceptanceReceipt> acceptance(JobId jobId) {
        return repository.find(jobId).filter(s -> s.envelopeSha256() != null)
                .map(s -> signer.sign(s.jobId(), s.envelopeSha256(), s.acceptedAt()));
    }

    public ReceiptView receipt(String jobIdText) {
        JobId jobId = StatusService.parseJobId(jobIdText);
        ReceiptRepository.Stored stored = repository.find(jobId)
                .orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + jobIdText));
        if (stored.envelopeSha256() == null || stored.envelope() == null) {
            throw new ApiException(ErrorCode.RECEIPT_UNAVAILABLE,
                    "job " + jobId.value() + " was accepted before receipts existed; GET /v1/jobs/" + jobId.value() + "/proof has its proof");
        }
        AcceptanceReceipt acceptance = signer.sign(jobId, stored.envelopeSha256(), stored.acceptedAt());
        String envelope = Base64.getEncoder().encodeToString(stored.envelope());
        String status = stored.status();
        if (!status.equals("sent") && !status.equals("mined")) {
            return new ReceiptView(ReceiptView.FORMAT, jobId.value(), status, acceptance, envelope, null, null, null);
        }
        ProofView p = proofs.proof(jobId.value());
        ReceiptView.Transaction tx = new ReceiptView.Transaction(p.txid(), p.rawTx(), p.outputIndex(), List.copyOf(p.inputs()));
        ReceiptView.Proof proof = null;
        if (p.merklePath() != null && p.blockHash() != null && p.blockHeight() != null) {
            proof = proof(p, stored.blockHeader());
        }
        return new ReceiptView(ReceiptView.FORMAT, jobId.value(), p.status(), acceptance, envelope, tx, proof, p.anchor());
    }

    private static ReceiptView.Proof proof(ProofView p, byte[] header) {
        try {
            MerklePath path = MerklePath.parse(HEX.parseHex(p.merklePath()));
            byte[] beef = Beef.of(HEX.parseHex(p.rawTx()), path);
            String root = path.computeRootHex(Txid.fromHex(p.txid()));
            return new ReceiptView.Proof(HEX.formatHex(beef), p.blockHash(), p.blockHeight(), root,
                    header == null ? null : HEX.formatHex(header));
        } catch (MerklePathException e) {
            // the broadcaster checked this path before storing it: a failure here is a damaged row
            throw new IllegalStateException("stored merkle path of job " + p.jobId() + " does not parse: " + e.getMessage(), e);
        }
    }

    public ServiceKeysView serviceKeys() {
        return new ServiceKeysView(keys.serviceName(), "ECDSA secp256k1 over SHA-256 of the RFC 8785 statement, DER base64",
                keys.published().stream().map(k -> new ServiceKeysView.Key(k.keyId(), k.publicKey().hex(),
                        k.current() ? (keys.ephemeral() ? "current-ephemeral" : "current") : "retired",
                        k.validFrom() == null ? null : k.validFrom().toString(),
                        k.validTo() == null ? null : k.validTo().toString())).toList());
    }
}
