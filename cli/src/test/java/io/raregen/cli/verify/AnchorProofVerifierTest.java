package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorTransactions;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.core.types.Ulid;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline verification of anchor-mode proofs (docs/PROTOCOL.md, "Verifying a record"): a batch of real signed records
 * in a tree whose root a real signed anchor transaction carries, mined in a block with a BUMP and a header (written
 * by {@link ProofFixture}'s independent tree). Every leaf passes; each claim the server could falsify fails.
 */
class AnchorProofVerifierTest {
    private static final KeyPair CLIENT = KeyPair.generate();
    private static final KeyPair POOL = KeyPair.generate();

    /** A batch of {@code n} records, anchored, mined at position 2 of a 5-transaction block. */
    private static final class Batch {
        final List<Envelope> envelopes = new ArrayList<>();
        final String batchId = Ulid.generate();
        final AnchorTree tree;
        final SignedTransaction tx;
        final ProofFixture block = new ProofFixture();

        Batch(int n) {
            List<AnchorHash> digests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Envelope e = EnvelopeSigner.sign(Payloads.publish(Json.MAPPER.createObjectNode().put("n", i), "nonce-" + i,
                        Instant.now(), null), CLIENT);
                envelopes.add(e);
                digests.add(RecordLeaf.digest(e));
            }
            tree = AnchorTree.of(digests);
            byte[] prev = new byte[32];
            ProofFixture.RANDOM.nextBytes(prev);
            Utxo utxo = new Utxo(new Outpoint(Txid.fromWireBytes(prev), 0), Satoshis.of(1000), POOL.p2pkhLockingScript());
            tx = AnchorTransactions.build(List.of(utxo), POOL, Anchor.of(new BatchId(batchId), tree), POOL.p2pkhLockingScript(), FeeRate.perKb(1));
            block.tx = tx;
            block.leaves = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byte[] l = new byte[32];
                ProofFixture.RANDOM.nextBytes(l);
                block.leaves.add(l);
            }
            block.leaves.set(2, tx.txid().wireBytes());
            block.index = 2;
            block.header = ProofFixture.header(ProofFixture.root(block.leaves));
        }

        /** The proof {@code GET /v1/jobs/{id}/proof} serves for leaf {@code i}, mined. */
        ObjectNode proof(int i) {
            block.envelope = envelopes.get(i);
            ObjectNode n = block.proofJson(true);
            ObjectNode a = n.putObject("anchor");
            a.put("batchId", batchId).put("leafIndex", i).put("treeSize", tree.size()).put("root", tree.root().hex())
                    .put("txid", tx.txid().hex()).put("rawTx", tx.rawHex());
            ArrayNode path = a.putArray("path");
            tree.proof(i).path().forEach(h -> path.add(h.hex()));
            return n;
        }

        VerificationReport verify(ObjectNode proof) {
            return new ProofVerifier(block.headers()).verify(Proof.fromJson(proof), null, CLIENT.publicKey().hex());
        }

        VerificationReport verifyChanged(int leaf, Consumer<ObjectNode> change) {
            ObjectNode p = proof(leaf);
            change.accept(p);
            return verify(p);
        }
    }

    private static Check.Outcome outcome(VerificationReport r, String check) {
        return r.check(check).orElseThrow(() -> new AssertionError("no check " + check + " in " + r)).outcome();
    }

    private static ObjectNode anchor(ObjectNode proof) {
        return (ObjectNode) proof.get("anchor");
    }

    @Test
    void everyLeafOfAnAnchoredBatch_passesEveryCheck_fromRecordToBlockHeader() {
        for (int n : new int[] {1, 2, 7}) {
            Batch b = new Batch(n);
            for (int i = 0; i < n; i++) {
                VerificationReport r = b.verify(b.proof(i));
                assertTrue(r.passed(), () -> r.checks().toString());
                for (String c : new String[] {ProofVerifier.PARSES, ProofVerifier.TXID, ProofVerifier.ANCHOR_OUTPUT,
                        ProofVerifier.ANCHOR_INCLUSION, ProofVerifier.SIGNATURE, ProofVerifier.SIGNER, ProofVerifier.INPUTS,
                        ProofVerifier.MERKLE, ProofVerifier.HEADER}) {
                    assertEquals(Check.Outcome.PASS, outcome(r, c), n + "/" + i + " " + c + ": " + r.checks());
                }
                assertFalse(r.check(ProofVerifier.RECORD).isPresent(), "no record output to look for");
            }
        }
    }

    @Test
    void aChangedPathHash_anotherLeafIndex_orAnotherRecord_failInclusion() {
        Batch b = new Batch(7);
        VerificationReport flipped = b.verifyChanged(3, p -> {
            ArrayNode path = (ArrayNode) anchor(p).get("path");
            char[] h = path.get(1).asText().toCharArray();
            h[10] = h[10] == '0' ? '1' : '0';
            path.set(1, Json.MAPPER.getNodeFactory().textNode(new String(h)));
        });
        assertEquals(Check.Outcome.FAIL, outcome(flipped, ProofVerifier.ANCHOR_INCLUSION), flipped.checks().toString());
        VerificationReport index = b.verifyChanged(3, p -> anchor(p).put("leafIndex", 2));
        assertEquals(Check.Outcome.FAIL, outcome(index, ProofVerifier.ANCHOR_INCLUSION), index.checks().toString());
        VerificationReport dropped = b.verifyChanged(3, p -> ((ArrayNode) anchor(p).get("path")).remove(2));
        assertEquals(Check.Outcome.FAIL, outcome(dropped, ProofVerifier.ANCHOR_INCLUSION), dropped.checks().toString());
        VerificationReport other = b.verifyChanged(3, p -> p.put("signedPayload", b.envelopes.get(4).signedPayload())
                .put("signature", b.envelopes.get(4).signature()));
        assertEquals(Check.Outcome.FAIL, outcome(other, ProofVerifier.ANCHOR_INCLUSION), "leaf 4's record at leaf 3's place");
        assertFalse(other.passed());
    }

    @Test
    void claimsThatDisagreeWithTheAnchorOnChain_failTheAnchorOutput() {
        Batch b = new Batch(5);
        assertEquals(Check.Outcome.FAIL, outcome(b.verifyChanged(0, p -> anchor(p).put("treeSize", 4)), ProofVerifier.ANCHOR_OUTPUT));
        assertEquals(Check.Outcome.FAIL, outcome(b.verifyChanged(0, p -> anchor(p).put("batchId", Ulid.generate())),
                ProofVerifier.ANCHOR_OUTPUT));
        assertEquals(Check.Outcome.FAIL, outcome(b.verifyChanged(0, p -> anchor(p).put("root", "00".repeat(32))),
                ProofVerifier.ANCHOR_OUTPUT));
        assertEquals(Check.Outcome.FAIL, outcome(b.verifyChanged(0, p -> anchor(p).put("txid", "11".repeat(32))),
                ProofVerifier.ANCHOR_OUTPUT));
        assertEquals(Check.Outcome.FAIL, outcome(b.verifyChanged(0, p -> p.put("outputIndex", 1)), ProofVerifier.ANCHOR_OUTPUT));
    }

    @Test
    void withoutItsAnchorObject_anAnchorTransactionIsNoRecord() {
        Batch b = new Batch(3);
        VerificationReport r = b.verifyChanged(1, p -> p.remove("anchor"));
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.RECORD), r.checks().toString());
        assertFalse(r.passed());
    }
}
