package io.raregen.cli.verify;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeException;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.record.RecordScript;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.Signatures;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Satoshis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a proof without trusting the server that sent it: every claim (txid, record, signer,
 * block) is re-derived from the raw transaction and the merkle path. Each check reports PASS,
 * FAIL with the reason, or SKIP when there is nothing to check yet (not mined).
 */
public final class ProofVerifier {

    public static final String PARSES = "transaction parses";
    public static final String TXID = "txid";
    public static final String RECORD = "record output";
    public static final String ENVELOPE = "envelope matches proof";
    public static final String SIGNATURE = "client signature";
    public static final String SIGNER = "signer";
    public static final String INPUTS = "inputs signed";
    public static final String MERKLE = "merkle path";
    public static final String HEADER = "block header";
    public static final String ANCHOR_OUTPUT = "anchor output";
    public static final String ANCHOR_INCLUSION = "anchor inclusion";

    // a record read back from the chain is as large as its transaction allows; the server's intake limit is not ours
    private static final int MAX_PAYLOAD = 100_000_000;

    private final EnvelopeVerifier envelopes = new EnvelopeVerifier(Clock.systemUTC(), EnvelopeVerifier.DEFAULT_TTL, MAX_PAYLOAD);
    private final HeaderSource headers;

    public ProofVerifier(HeaderSource headers) {
        this.headers = Objects.requireNonNull(headers);
    }

    /**
     * @param expectedTxid the txid the user asked about, or null
     * @param expectedSigner the compressed public key hex the user expects as signer, or null
     */
    public VerificationReport verify(Proof p, String expectedTxid, String expectedSigner) {
        List<Check> checks = new ArrayList<>();

        // 1. the transaction parses
        RawTransaction tx = null;
        if (p.rawTx() == null || p.rawTx().length == 0) {
            checks.add(Check.fail(PARSES, "the proof has no raw transaction"));
        } else {
            try {
                tx = RawTransaction.parse(p.rawTx());
                checks.add(Check.pass(PARSES, tx.size() + " bytes, " + tx.inputs().size() + " input(s), "
                        + tx.outputs().size() + " output(s)"));
            } catch (RuntimeException e) {
                checks.add(Check.fail(PARSES, "the raw transaction does not parse: " + e.getMessage()));
            }
        }

        // 2. txid = double SHA-256 of the raw bytes
        String computedTxid = p.rawTx() == null ? null : Hashes.txidOf(p.rawTx());
        if (computedTxid == null) {
            checks.add(Check.skip(TXID, "no raw transaction"));
        } else if (p.txid() != null && !computedTxid.equalsIgnoreCase(p.txid())) {
            checks.add(Check.fail(TXID, "the proof claims " + p.txid() + " but the raw transaction hashes to " + computedTxid));
        } else if (expectedTxid != null && !computedTxid.equalsIgnoreCase(expectedTxid)) {
            checks.add(Check.fail(TXID, "asked for " + expectedTxid + " but the raw transaction hashes to " + computedTxid));
        } else {
            checks.add(Check.pass(TXID, computedTxid + " = double SHA-256 of the raw transaction"));
        }

        // 3./4. the record: on chain in its own output, or (anchor mode) a leaf of the tree whose root is on chain
        Envelope onChain = p.anchor() == null ? recordOnChain(p, tx, checks) : AnchorChecks.leafOnChain(p, tx, checks);

        // 5. the client signature over the on-chain payload
        if (onChain == null) {
            checks.add(Check.skip(SIGNATURE, "no decoded record"));
        } else {
            try {
                // old records must still verify: freshness was the server's check at intake, not the reader's
                VerifiedEnvelope v = envelopes.verifyWithoutFreshness(onChain, EnvelopeVerifier.TYPE_PUBLISH);
                checks.add(Check.pass(SIGNATURE, "valid ECDSA secp256k1 signature by " + v.publicKey().hex()
                        + " over SHA-256 " + v.payloadHashHex()));
                if (expectedSigner != null) {
                    checks.add(v.publicKey().hex().equalsIgnoreCase(expectedSigner)
                            ? Check.pass(SIGNER, "signed by the expected key " + expectedSigner)
                            : Check.fail(SIGNER, "signed by " + v.publicKey().hex() + ", not by the expected " + expectedSigner));
                }
            } catch (EnvelopeException e) {
                checks.add(Check.fail(SIGNATURE, e.code() + ": " + e.getMessage()));
            }
        }

        // 6. the inputs the server says it spent are the transaction's, and signed
        checks.add(checkInputs(p, tx));

        // 7./8. merkle path and block header
        if (!p.mined()) {
            checks.add(Check.skip(MERKLE, "not mined yet (no merkle path)"));
        } else if (computedTxid == null) {
            checks.add(Check.skip(MERKLE, "no raw transaction"));
        } else {
            byte[] root = null;
            try {
                MerklePath path = MerklePath.parse(p.merklePath());
                root = path.computeRoot(Hashes.fromDisplayHex(computedTxid));
                if (p.blockHeight() != null && path.blockHeight() != p.blockHeight()) {
                    checks.add(Check.fail(MERKLE, "the path is for block height " + path.blockHeight()
                            + " but the proof says " + p.blockHeight()));
                    root = null;
                } else {
                    checks.add(Check.pass(MERKLE, "leads from the txid to merkle root " + Hashes.displayHex(root)
                            + " (height " + path.blockHeight() + ")"));
                }
            } catch (MerklePathException e) {
                checks.add(Check.fail(MERKLE, e.getMessage()));
            }
            checks.add(checkHeader(p, root));
        }
        return new VerificationReport(p.jobId(), computedTxid != null ? computedTxid : p.txid(), checks);
    }

    /** Steps 3–4 for a record: the OP_RETURN output decodes to an envelope, the one the proof names. */
    private static Envelope recordOnChain(Proof p, RawTransaction tx, List<Check> checks) {
        Envelope onChain = null;
        if (tx == null) {
            checks.add(Check.skip(RECORD, "no parsed transaction"));
        } else {
            try {
                int index;
                if (p.outputIndex() != null) {
                    index = p.outputIndex();
                    if (index < 0 || index >= tx.outputs().size()) {
                        throw new IllegalArgumentException("output " + index + " does not exist");
                    }
                    TxOutput out = tx.outputs().get(index);
                    onChain = RecordScript.decode(out.script());
                    if (!out.value().equals(Satoshis.ZERO)) {
                        throw new IllegalArgumentException("the record output carries " + out.value().value() + " sats, not 0");
                    }
                } else {
                    Optional<RecordExtractor.Extracted> ex = RecordExtractor.fromRawTransaction(p.rawTx());
                    if (ex.isEmpty()) {
                        throw new IllegalArgumentException("no OP_FALSE OP_RETURN record output in the transaction");
                    }
                    index = ex.get().outputIndex();
                    onChain = ex.get().envelope();
                }
                checks.add(Check.pass(RECORD, "output " + index + " is OP_FALSE OP_RETURN, 0 sats, "
                        + onChain.signedPayload().length() + "-char payload"));
            } catch (Exception e) {
                onChain = null;
                checks.add(Check.fail(RECORD, "the record output does not decode: " + e.getMessage()));
            }
        }

        // 4. what the server says was published is what is on chain
        if (onChain == null) {
            checks.add(Check.skip(ENVELOPE, "no decoded record"));
        } else {
            List<String> diffs = new ArrayList<>();
            if (p.signedPayload() != null && !p.signedPayload().equals(onChain.signedPayload())) {
                diffs.add("signedPayload");
            }
            if (p.signature() != null && !p.signature().equals(onChain.signature())) {
                diffs.add("signature");
            }
            if (p.pubkey() != null && !p.pubkey().equalsIgnoreCase(onChain.pubkey())) {
                diffs.add("pubkey");
            }
            checks.add(diffs.isEmpty()
                    ? Check.pass(ENVELOPE, "signedPayload, signature and pubkey equal the on-chain record")
                    : Check.fail(ENVELOPE, "the proof's " + String.join(", ", diffs) + " differ(s) from the on-chain record"));
        }
        return onChain;
    }

    private Check checkInputs(Proof p, RawTransaction tx) {
        if (tx == null) {
            return Check.skip(INPUTS, "no parsed transaction");
        }
        if (p.inputs().isEmpty()) {
            return Check.skip(INPUTS, "the proof lists no inputs");
        }
        if (p.inputs().size() != tx.inputs().size()) {
            return Check.fail(INPUTS, "the proof lists " + p.inputs().size() + " inputs, the transaction has " + tx.inputs().size());
        }
        for (int i = 0; i < p.inputs().size(); i++) {
            Proof.Input in = p.inputs().get(i);
            RawTransaction.Input txIn = tx.inputs().get(i);
            if (in.txid() == null || !txIn.prevout().txid().hex().equalsIgnoreCase(in.txid()) || txIn.prevout().vout() != in.vout()) {
                return Check.fail(INPUTS, "input " + i + " spends " + txIn.prevout() + ", the proof says " + in.txid() + ":" + in.vout());
            }
            if (in.lockingScript() == null) {
                return Check.skip(INPUTS, "the proof gives no locking script for input " + i);
            }
            boolean ok;
            try {
                ok = Signatures.verifyP2pkhInput(p.rawTx(), i, in.lockingScript(), Satoshis.of(in.satoshis()));
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                return Check.fail(INPUTS, "input " + i + " (" + txIn.prevout() + ") is not validly signed for its locking script");
            }
        }
        return Check.pass(INPUTS, p.inputs().size() + " P2PKH input(s), FORKID signatures valid");
    }

    private Check checkHeader(Proof p, byte[] root) {
        if (root == null) {
            return Check.skip(HEADER, "no merkle root to compare");
        }
        BlockRef block = null;
        String source = null;
        try {
            if (p.blockHeader() != null && p.blockHeader().length == 80) {
                block = BlockRef.of(new BlockHeader(p.blockHeader()));
                source = "the proof";
            } else if (p.blockHash() != null) {
                Optional<BlockRef> h = headers.header(p.blockHash(), p.blockHeight());
                if (h.isPresent()) {
                    block = h.get();
                    source = headers.describe();
                }
            }
        } catch (Exception e) {
            return Check.fail(HEADER, "cannot fetch block " + p.blockHash() + " from " + headers.describe() + ": " + e.getMessage());
        }
        if (block == null) {
            return Check.skip(HEADER, "no block header to compare the root with (pass --headers URL)");
        }
        if (p.blockHash() != null && block.hash() != null && !block.hash().equalsIgnoreCase(p.blockHash())) {
            return Check.fail(HEADER, (block.fromHeader() ? "the header from " + source + " hashes to " : source + " names block ")
                    + block.hash() + ", not the proof's block " + p.blockHash());
        }
        String blockName = block.hash() != null ? block.hash() : p.blockHash();
        if (!Arrays.equals(block.merkleRoot(), root)) {
            return Check.fail(HEADER, "block " + blockName + " commits to merkle root " + Hashes.displayHex(block.merkleRoot())
                    + ", the path leads to " + Hashes.displayHex(root));
        }
        return Check.pass(HEADER, "block " + blockName + (block.fromHeader() ? " (header from " : " (merkle root stated by ") + source
                + ") commits to that root");
    }
}
