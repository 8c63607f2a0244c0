package io.raregen.cli.verify;

import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorScript;
import io.raregen.core.anchor.InclusionProof;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Satoshis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Steps 2–4 of docs/PROTOCOL.md "Verifying a record" for an anchor-mode record: the record digest of the envelope,
 * its path to a root, and that root and the tree size in the transaction's version-1 anchor output under the
 * claimed batch id. Nothing the server states about the tree is believed: the root compared is the one on chain.
 */
final class AnchorChecks {
    private AnchorChecks() {
    }

    /** Adds the anchor output and inclusion checks; returns the envelope once its leaf is proven in the tree. */
    static Envelope leafOnChain(Proof p, RawTransaction tx, List<Check> checks) {
        Proof.AnchorClaim claim = p.anchor();
        Anchor onChain = anchorOutput(p, tx, claim, checks);
        if (onChain == null) {
            checks.add(Check.skip(ProofVerifier.ANCHOR_INCLUSION, "no anchor output to check the record against"));
            return null;
        }
        if (p.signedPayload() == null || p.signature() == null || p.pubkey() == null) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_INCLUSION, "no envelope to compute the record's leaf from"));
            return null;
        }
        Envelope envelope = new Envelope(p.signedPayload(), p.signature(), p.pubkey());
        InclusionProof proof;
        try {
            List<AnchorHash> path = new ArrayList<>();
            for (String h : claim.path()) {
                path.add(AnchorHash.fromHex(h));
            }
            proof = new InclusionProof(claim.leafIndex(), claim.treeSize(), path);
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_INCLUSION, "anchor.leafIndex, treeSize or path is malformed: " + e.getMessage()));
            return null;
        }
        AnchorHash digest;
        try {
            digest = RecordLeaf.digest(envelope);
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_INCLUSION, "the envelope has no canonical form: " + e.getMessage()));
            return null;
        }
        if (!onChain.verify(digest, proof)) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_INCLUSION, "record digest " + digest + " with anchor.path does not lead to root "
                    + onChain.root() + " as leaf " + claim.leafIndex() + " of " + onChain.treeSize()));
            return null;
        }
        checks.add(Check.pass(ProofVerifier.ANCHOR_INCLUSION, "record digest " + digest + " is leaf " + claim.leafIndex() + " of "
                + onChain.treeSize() + ": its " + proof.path().size() + "-hash path leads to the anchored root"));
        return envelope;
    }

    private static Anchor anchorOutput(Proof p, RawTransaction tx, Proof.AnchorClaim claim, List<Check> checks) {
        if (tx == null) {
            checks.add(Check.skip(ProofVerifier.ANCHOR_OUTPUT, "no parsed transaction"));
            return null;
        }
        Optional<AnchorScript.Found> found = AnchorScript.fromRawTransaction(p.rawTx());
        if (found.isEmpty()) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_OUTPUT, "the transaction has no version-1 RareGen anchor output"));
            return null;
        }
        int index = found.get().outputIndex();
        Anchor a = found.get().anchor();
        TxOutput out = tx.outputs().get(index);
        List<String> wrong = new ArrayList<>();
        if (p.outputIndex() != null && p.outputIndex() != index) {
            wrong.add("outputIndex " + p.outputIndex() + " (the anchor is output " + index + ")");
        }
        if (!out.value().equals(Satoshis.ZERO)) {
            wrong.add("the anchor output carries " + out.value().value() + " sats, not 0");
        }
        if (!a.batchId().value().equals(claim.batchId())) {
            wrong.add("anchor.batchId " + claim.batchId() + " (on chain " + a.batchId() + ")");
        }
        if (a.treeSize() != claim.treeSize()) {
            wrong.add("anchor.treeSize " + claim.treeSize() + " (on chain " + a.treeSize() + ")");
        }
        if (claim.root() != null && !a.root().hex().equalsIgnoreCase(claim.root())) {
            wrong.add("anchor.root " + claim.root() + " (on chain " + a.root() + ")");
        }
        if (claim.txid() != null && !tx.txid().hex().equalsIgnoreCase(claim.txid())) {
            wrong.add("anchor.txid " + claim.txid() + " (the transaction is " + tx.txid() + ")");
        }
        if (!wrong.isEmpty()) {
            checks.add(Check.fail(ProofVerifier.ANCHOR_OUTPUT, "the anchor does not match: " + String.join("; ", wrong)));
            return null;
        }
        checks.add(Check.pass(ProofVerifier.ANCHOR_OUTPUT, "output " + index + " is OP_FALSE OP_RETURN, 0 sats, anchor v1 of batch "
                + a.batchId() + ": " + a.treeSize() + " records, root " + a.root()));
        return a;
    }
}
