package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeException;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.RejectionCode;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Outpoint;
import io.raregen.functions.identity.Identity;
import io.raregen.functions.identity.IdentityRegistry;
import io.raregen.functions.status.StatusService;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Stateless envelope verification and publication proofs. */
@Singleton
public class VerificationService {

    private static final HexFormat HEX = HexFormat.of();

    private final EnvelopeVerifier verifier;
    private final IdentityRegistry identities;
    private final ProofRepository proofs;

    public VerificationService(EnvelopeVerifier verifier, IdentityRegistry identities, ProofRepository proofs) {
        this.verifier = verifier;
        this.identities = identities;
        this.proofs = proofs;
    }

    /** Runs every intake check on the body and reports the first failure; stores nothing. */
    public VerifyResult verify(String body, @Nullable String expectedType) {
        Envelope envelope;
        try {
            envelope = Envelope.parseJson(body);
        } catch (EnvelopeException e) {
            return failure(e, null);
        }
        try {
            VerifiedEnvelope v = verifyAs(envelope, expectedType);
            String identityStatus = identities.find(v.publicKey()).map(Identity::status).orElse("unregistered");
            return new VerifyResult(true, null, null, v.type(), v.publicKey().hex(), v.nonce(), v.createdAt(),
                    v.recordId().orElse(null), identityStatus, true, envelope.signedPayload(), v.payloadHashHex());
        } catch (EnvelopeException e) {
            return failure(e, envelope);
        }
    }

    private VerifiedEnvelope verifyAs(Envelope envelope, @Nullable String expectedType) throws EnvelopeException {
        if (expectedType != null && !expectedType.isBlank()) {
            return verifier.verify(envelope, expectedType);
        }
        try {
            return verifier.verify(envelope, EnvelopeVerifier.TYPE_PUBLISH);
        } catch (EnvelopeException e) {
            if (e.code() != RejectionCode.TYPE_MISMATCH) {
                throw e;
            }
            return verifier.verify(envelope, EnvelopeVerifier.TYPE_REGISTER);
        }
    }

    private static VerifyResult failure(EnvelopeException e, @Nullable Envelope envelope) {
        String canonical = null;
        String hash = null;
        Boolean isCanonical = null;
        if (envelope != null) {
            try {
                canonical = CanonicalJson.canonicalize(envelope.signedPayload());
                isCanonical = canonical.equals(envelope.signedPayload());
            } catch (Exception notJson) {
                // stays null: the payload has no canonical form
            }
            hash = sha256Hex(envelope.signedPayload());
        }
        return new VerifyResult(false, e.code().name(), e.getMessage(), null, null, null, null, null, null,
                isCanonical, canonical, hash);
    }

    /** The publication proof of a job; 409 while no signed transaction exists. */
    public ProofView proof(String jobIdText) {
        ProofSource source = proofs.find(StatusService.parseJobId(jobIdText))
                .orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + jobIdText));
        if (source.rawTx() == null) {
            if ("failed".equals(source.status())) {
                throw new ApiException(ErrorCode.JOB_FAILED, "job " + source.jobId() + " failed without a signed transaction");
            }
            throw new ApiException(ErrorCode.NOT_YET_SIGNED,
                    "job " + source.jobId() + " is " + source.status() + "; a proof exists once it is signed");
        }
        RawTransaction tx = RawTransaction.parse(source.rawTx());
        Map<String, ProofSource.Spend> spends = source.spends().stream()
                .collect(Collectors.toMap(s -> s.txid() + ":" + s.vout(), Function.identity(), (a, b) -> a));
        List<ProofView.ProofInput> inputs = new ArrayList<>();
        for (RawTransaction.Input input : tx.inputs()) {
            Outpoint prev = input.prevout();
            ProofSource.Spend spend = spends.get(prev.txid().hex() + ":" + prev.vout());
            inputs.add(new ProofView.ProofInput(prev.txid().hex(), prev.vout(),
                    spend == null ? 0 : spend.satoshis(),
                    spend == null || spend.lockingScript() == null ? null : HEX.formatHex(spend.lockingScript())));
        }
        return new ProofView(source.jobId(), source.status(), source.txid(), HEX.formatHex(source.rawTx()), inputs,
                recordOutputIndex(tx), source.signedPayload(), source.signature(), source.pubkey(),
                source.merklePath() == null ? null : HEX.formatHex(source.merklePath()),
                source.blockHash(), source.blockHeight(), anchor(source));
    }

    private static AnchorView anchor(ProofSource source) {
        ProofSource.Anchored a = source.anchor();
        if (a == null) {
            return null;
        }
        List<String> path = new ArrayList<>();
        byte[] p = a.path() == null ? new byte[0] : a.path();
        for (int i = 0; i + 32 <= p.length; i += 32) {
            path.add(HEX.formatHex(p, i, i + 32));
        }
        return new AnchorView(a.batchId(), a.leafIndex(), a.treeSize(), path, a.root(), source.txid(),
                HEX.formatHex(source.rawTx()), source.merklePath() == null ? null : HEX.formatHex(source.merklePath()));
    }

    private static int recordOutputIndex(RawTransaction tx) {
        List<TxOutput> outputs = tx.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            byte[] script = outputs.get(i).script();
            // OP_FALSE OP_RETURN: the data output, whether or not its pushes decode as our record format
            if (script.length >= 2 && script[0] == 0x00 && script[1] == 0x6a) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256Hex(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
