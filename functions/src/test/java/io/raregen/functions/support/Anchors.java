package io.raregen.functions.support;

import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorTransactions;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.core.types.Ulid;

import java.util.ArrayList;
import java.util.List;

/**
 * Plays the anchoring window's part in the database for status, proof and receipt tests: a pool UTXO, the anchor
 * transaction spending it (signed by core, as the broadcaster signs it), the batch, and the jobs moved along the legal
 * path with their leaf indexes and paths.
 */
public final class Anchors {
    private Anchors() {
    }

    /** What {@link #anchor} stored. */
    public record Stored(String batchId, AnchorTree tree, SignedTransaction tx) {
    }

    /** Anchors {@code jobIds} (queued, anchor mode) in this order as one signed batch. */
    public static Stored anchor(TestEnv env, List<String> jobIds) {
        KeyPair pool = KeyPair.generate();
        Utxo input = new Utxo(new Outpoint(Txid.fromHex(Chain.randomTxid()), 0), Satoshis.of(1000), pool.p2pkhLockingScript());
        env.execute("INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, reserved_until, reserved_by) "
                        + "VALUES (?, 0, ?, ?, 'publish', 'reserved', now() + interval '5 minutes', 'test')",
                input.outpoint().txid().hex(), 1000L, input.lockingScript());
        List<AnchorHash> digests = new ArrayList<>();
        for (String id : jobIds) {
            digests.add(RecordLeaf.digest(new Envelope(
                    env.string("SELECT signed_payload FROM publish_jobs WHERE job_id = ?", id),
                    env.string("SELECT signature FROM publish_jobs WHERE job_id = ?", id),
                    env.string("SELECT pubkey FROM publish_jobs WHERE job_id = ?", id))));
        }
        AnchorTree tree = AnchorTree.of(digests);
        String batchId = Ulid.generate();
        SignedTransaction tx = AnchorTransactions.build(List.of(input), pool, Anchor.of(new BatchId(batchId), tree),
                pool.p2pkhLockingScript(), new FeeRate(100, 1000));
        env.execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES (?, ?, 'signing')", batchId, jobIds.size());
        env.execute("INSERT INTO anchor_batches (batch_id, tree_size, root, txid, raw_tx, fee_sats) VALUES (?, ?, ?, ?, ?, ?)",
                batchId, tree.size(), tree.root().hex(), tx.txid().hex(), tx.raw(), tx.fee().value());
        env.execute("INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES (?, 0, ?, ?)",
                input.outpoint().txid().hex(), tx.txid().hex(), 1000L);
        for (int i = 0; i < jobIds.size(); i++) {
            List<AnchorHash> path = tree.proof(i).path();
            byte[] p = new byte[32 * path.size()];
            for (int k = 0; k < path.size(); k++) {
                System.arraycopy(path.get(k).bytes(), 0, p, 32 * k, 32);
            }
            env.execute("UPDATE publish_jobs SET status = 'processing', processing_batch_id = ?, batch_seq = ?, processing_at = now() "
                    + "WHERE job_id = ?", batchId, i + 1, jobIds.get(i));
            env.execute("UPDATE publish_jobs SET status = 'signed', anchor_batch_id = ?, anchor_leaf_index = ?, anchor_path = ?, "
                    + "signed_at = now() WHERE job_id = ?", batchId, i, p, jobIds.get(i));
        }
        return new Stored(batchId, tree, tx);
    }

    public static void markSent(TestEnv env, String batchId) {
        env.execute("UPDATE anchor_batches SET status = 'sent', sent_at = now() WHERE batch_id = ?", batchId);
        env.execute("UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE anchor_batch_id = ?", batchId);
    }
}
