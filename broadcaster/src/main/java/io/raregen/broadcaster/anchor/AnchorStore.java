package io.raregen.broadcaster.anchor;

import io.raregen.broadcaster.store.ClaimedJob;
import io.raregen.broadcaster.store.StoreException;
import io.raregen.broadcaster.store.Transactions;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.jobs.Spends;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every write of the anchoring window to publish_jobs, publish_batches, anchor_batches and spends. The jobs of a
 * batch move together, guarded in SQL by their expected status (the job-transition triggers audit each move):
 * queued → signed with the batch's stored transaction → sent → mined. The jobs are claimed and the anchor
 * transaction stored with its spends rows and the jobs' leaf indexes in one database transaction, before it is ever
 * broadcast.
 */
public final class AnchorStore {

    /** A stored anchor transaction (rebuilt with its previous outputs, for Extended Format) and its batch. */
    public record StoredAnchor(BatchId batchId, int treeSize, SignedTransaction tx) {
    }

    /** A sent anchor transaction to ask about. */
    public record SentAnchor(BatchId batchId, Txid txid) {
    }

    /** Back to the queue: only jobs with no stored transaction (neither a txid nor an anchor_batch_id, as the trigger checks). */
    private static final String REQUEUE = "UPDATE publish_jobs SET status = 'queued', processing_batch_id = NULL, batch_seq = NULL ";

    // the oldest queued anchor-mode jobs, locked (not written) until the batch is stored in the same transaction
    private static final String CLAIM = """
            SELECT job_id, signed_payload, signature, pubkey, created_at, attempts FROM publish_jobs
            WHERE status = 'queued' AND mode = 'anchor'
            ORDER BY created_at, job_id LIMIT ? FOR UPDATE SKIP LOCKED
            """;

    private final DataSource ds;

    public AnchorStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * What the window made of the claimed jobs: the tree over {@code leaves} (job ids in leaf order) and the signed
     * anchor transaction of that tree; {@code unencodable} (job id → why) are failed instead.
     */
    public record Prepared(AnchorTree tree, List<JobId> leaves, SignedTransaction tx, Map<JobId, String> unencodable) {
    }

    /** Builds, reserves for and signs the batch of the claimed jobs (leaf order); null stores nothing. */
    @FunctionalInterface
    public interface Preparer {
        Prepared prepare(List<ClaimedJob> jobs);
    }

    /**
     * Claim and write-ahead in ONE database transaction: locks up to {@code max} of the oldest queued anchor-mode jobs
     * (SKIP LOCKED: instances split the work), hands them to {@code preparer} while holding the locks, then stores the
     * batch — its publish_batches and anchor_batches rows, a spends row per input of the transaction (whose primary
     * key refuses a second spender of any outpoint) — and moves every job {@code queued → signed} with its batch, leaf
     * index and audit path. Nothing is written for jobs that were never stored: a failure or a crash anywhere before the
     * commit leaves them queued for the next window (the caller releases what it reserved). Returns what was stored,
     * or null when nothing was queued or the preparer stored nothing.
     */
    public Prepared claimAndStore(BatchId batchId, String instanceId, int max, Preparer preparer) {
        return inTransaction("anchor batch " + batchId, c -> {
            List<ClaimedJob> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(new ClaimedJob(new JobId(rs.getString(1)), batchId, jobs.size() + 1,
                                new Envelope(rs.getString(2), rs.getString(3), rs.getString(4)),
                                rs.getTimestamp(5).toInstant(), rs.getInt(6)));
                    }
                }
            }
            Prepared p = jobs.isEmpty() ? null : preparer.prepare(jobs);
            if (p == null) {
                c.rollback();
                return null;
            }
            store(c, batchId, instanceId, jobs.size(), p);
            return p;
        });
    }

    private static void store(Connection c, BatchId batchId, String instanceId, int claimed, Prepared p) throws SQLException {
        AnchorTree tree = p.tree();
        List<JobId> leaves = p.leaves();
        if (leaves.size() != tree.size()) {
            throw new IllegalArgumentException(leaves.size() + " leaves for a tree of " + tree.size());
        }
        Anchor anchor = Anchor.of(batchId, tree);
        byte[][] paths = new byte[leaves.size()][];
        for (int i = 0; i < paths.length; i++) {
            List<AnchorHash> path = tree.proof(i).path();
            byte[] b = new byte[path.size() * AnchorHash.LENGTH];
            for (int k = 0; k < path.size(); k++) {
                System.arraycopy(path.get(k).bytes(), 0, b, k * AnchorHash.LENGTH, AnchorHash.LENGTH);
            }
            paths[i] = b;
        }
        SignedTransaction tx = p.tx();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO publish_batches (batch_id, job_count, status, instance_id, signed_at)
                VALUES (?, ?, 'broadcasting', ?, now())""")) {
            ps.setString(1, batchId.value());
            ps.setInt(2, claimed);
            ps.setString(3, instanceId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO anchor_batches (batch_id, tree_size, root, txid, raw_tx, fee_sats, status, instance_id)
                VALUES (?, ?, ?, ?, ?, ?, 'signed', ?)""")) {
            ps.setString(1, batchId.value());
            ps.setInt(2, anchor.treeSize());
            ps.setString(3, anchor.root().hex());
            ps.setString(4, tx.txid().hex());
            ps.setBytes(5, tx.raw());
            ps.setLong(6, tx.fee().value());
            ps.setString(7, instanceId);
            ps.executeUpdate();
        }
        new Spends().add(tx, null).insert(c);
        int signed;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE publish_jobs j SET status = 'signed', processing_batch_id = ?, batch_seq = v.ord,
                       anchor_batch_id = ?, anchor_leaf_index = v.ord - 1, anchor_path = v.path,
                       processing_at = now(), signed_at = now(), attempts = j.attempts + 1
                FROM unnest(?::varchar[], ?::bytea[]) WITH ORDINALITY AS v(job_id, path, ord)
                WHERE j.job_id = v.job_id AND j.status = 'queued' AND j.mode = 'anchor'""")) {
            ps.setString(1, batchId.value());
            ps.setString(2, batchId.value());
            ps.setArray(3, c.createArrayOf("varchar", leaves.stream().map(JobId::value).toArray(String[]::new)));
            ps.setArray(4, c.createArrayOf("bytea", paths));
            signed = ps.executeUpdate();
        }
        if (signed != anchor.treeSize()) {
            throw new SQLException("anchor batch " + batchId + " holds " + signed + " of its " + anchor.treeSize()
                    + " jobs; nothing stored");
        }
        if (!p.unencodable().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE publish_jobs SET status = 'failed', error_code = 'RECORD_UNENCODABLE', error_detail = ?, failed_at = now()
                    WHERE job_id = ? AND status = 'queued'""")) {
                for (Map.Entry<JobId, String> e : p.unencodable().entrySet()) {
                    ps.setString(1, e.getValue());
                    ps.setString(2, e.getKey().value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** The network accepted the transaction: the batch and its jobs are sent (signed → sent); idempotent. */
    public int markSent(Txid txid) {
        return inTransaction("marking anchor " + txid + " sent", c -> {
            BatchId batchId = batchOf(c, "UPDATE anchor_batches SET status = 'sent', sent_at = now() "
                    + "WHERE txid = ? AND status = 'signed' RETURNING batch_id", txid);
            if (batchId == null) {
                return 0;
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE publish_jobs SET status = 'sent', sent_at = now() "
                    + "WHERE anchor_batch_id = ? AND status = 'signed'")) {
                ps.setString(1, batchId.value());
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE publish_batches SET status = 'completed', "
                    + "broadcasted_at = COALESCE(broadcasted_at, now()), completed_at = now(), sent_at = now() "
                    + "WHERE batch_id = ?")) {
                ps.setString(1, batchId.value());
                ps.executeUpdate();
            }
            return n;
        });
    }

    /**
     * The transaction is in a block: the batch keeps the block and the BUMP, its jobs move to mined (the proof is
     * the batch's: the receipts read it from there). Idempotent; returns the jobs that moved now.
     */
    public int markMined(Txid txid, String blockHash, Integer blockHeight, byte[] merklePath) {
        return inTransaction("marking anchor " + txid + " mined", c -> {
            BatchId batchId;
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE anchor_batches SET status = 'mined', mined_at = now(), sent_at = COALESCE(sent_at, now()),
                           block_hash = ?, block_height = ?, merkle_path = ?
                    WHERE txid = ? AND status IN ('signed', 'sent') RETURNING batch_id""")) {
                ps.setString(1, blockHash);
                if (blockHeight == null) {
                    ps.setNull(2, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(2, blockHeight);
                }
                ps.setBytes(3, merklePath);
                ps.setString(4, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    batchId = rs.next() ? new BatchId(rs.getString(1)) : null;
                }
            }
            if (batchId == null) {
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE publish_jobs SET status = 'mined', mined_at = now(), sent_at = COALESCE(sent_at, now())
                    WHERE anchor_batch_id = ? AND status IN ('signed', 'sent')""")) {
                ps.setString(1, batchId.value());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The network definitively refused the transaction: the batch is rejected, its spends rows go (so its input can
     * be spent again), and its jobs go back to the queue, out of any tree, to be anchored in a later window.
     * Returns the jobs requeued (0 when the transaction was not, or no longer, unaccepted).
     */
    public int discard(Txid txid, String reason) {
        return inTransaction("discarding anchor " + txid, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('raregen.transition_reason', ?, true)")) {
                String r = "re-anchor: " + reason;
                ps.setString(1, r.length() > 500 ? r.substring(0, 500) : r);
                ps.execute();
            }
            BatchId batchId = batchOf(c, "UPDATE anchor_batches SET status = 'rejected', error_detail = left(?, 2000) "
                    + "WHERE txid = ? AND status = 'signed' RETURNING batch_id", reason, txid);
            if (batchId == null) {
                return 0;
            }
            Spends.deleteBySpender(c, txid);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE publish_jobs SET status = 'processing', anchor_batch_id = NULL, anchor_leaf_index = NULL,
                           signed_at = NULL, sending_started_at = NULL
                    WHERE anchor_batch_id = ? AND status = 'signed'""")) {
                ps.setString(1, batchId.value());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(REQUEUE
                    + "WHERE processing_batch_id = ? AND status = 'processing' AND txid IS NULL AND anchor_batch_id IS NULL")) {
                ps.setString(1, batchId.value());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Stored anchor transactions not yet accepted whose last send (or signing) is older than {@code olderThan}, with
     * their previous outputs; stamps them so another instance's rescue skips them.
     */
    public List<StoredAnchor> takeUnsent(Duration olderThan, int limit, byte[] defaultScript) {
        return inTransaction("anchor rebroadcast query", c -> {
            Map<String, Object[]> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE anchor_batches SET sending_started_at = now(), attempts = attempts + 1 WHERE batch_id IN (
                      SELECT batch_id FROM anchor_batches WHERE status = 'signed'
                        AND COALESCE(sending_started_at, signed_at) < now() - make_interval(secs => ?)
                      ORDER BY signed_at LIMIT ? FOR UPDATE SKIP LOCKED) AND status = 'signed'
                    RETURNING batch_id, tree_size, raw_tx, txid, fee_sats""")) {
                ps.setDouble(1, olderThan.toMillis() / 1000.0);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(4), new Object[]{rs.getString(1), rs.getInt(2), rs.getBytes(3), rs.getLong(5)});
                    }
                }
            }
            List<StoredAnchor> out = new ArrayList<>();
            for (Map.Entry<String, Object[]> e : rows.entrySet()) {
                Object[] r = e.getValue();
                byte[] raw = (byte[]) r[2];
                RawTransaction parsed = RawTransaction.parse(raw);
                List<Utxo> inputs = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT s.satoshis, " + Spends.scriptOf("s")
                                + " FROM spends s WHERE s.outpoint_txid = ? AND s.outpoint_vout = ?")) {
                    for (RawTransaction.Input in : parsed.inputs()) {
                        ps.setString(1, in.prevout().txid().hex());
                        ps.setInt(2, in.prevout().vout());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                byte[] script = rs.getBytes(2);
                                inputs.add(new Utxo(in.prevout(), Satoshis.of(rs.getLong(1)), script != null ? script : defaultScript));
                            }
                        }
                    }
                }
                if (inputs.size() == parsed.inputs().size()) {
                    out.add(new StoredAnchor(new BatchId((String) r[0]), (Integer) r[1], new SignedTransaction(Txid.fromHex(e.getKey()), raw,
                            inputs, parsed.outputs(), Satoshis.of((Long) r[3]))));
                }
            }
            return out;
        });
    }

    /** Sent anchor transactions at least {@code minAge} old, least recently checked first; stamps them as checked. */
    public List<SentAnchor> takeUnconfirmed(Duration minAge, int limit) {
        return inTransaction("anchor confirmation query", c -> {
            List<SentAnchor> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE anchor_batches SET status_checked_at = now() WHERE batch_id IN (
                      SELECT batch_id FROM anchor_batches WHERE status = 'sent' AND sent_at < now() - make_interval(secs => ?)
                      ORDER BY status_checked_at NULLS FIRST, sent_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING batch_id, txid""")) {
                ps.setDouble(1, minAge.toMillis() / 1000.0);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SentAnchor(new BatchId(rs.getString(1)), Txid.fromHex(rs.getString(2))));
                    }
                }
            }
            return out;
        });
    }

    /** The outpoints a stored anchor transaction spends (its inputs, from spends). */
    public List<Outpoint> inputsOf(Txid txid) {
        return inTransaction("anchor inputs", c -> {
            List<Outpoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT outpoint_txid, outpoint_vout FROM spends WHERE spending_txid = ? AND job_id IS NULL")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2)));
                    }
                }
            }
            return out;
        });
    }

    private static BatchId batchOf(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i] instanceof Txid t ? t.hex() : (String) args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BatchId(rs.getString(1)) : null;
            }
        }
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.run(ds, () -> what, work);
    }
}
