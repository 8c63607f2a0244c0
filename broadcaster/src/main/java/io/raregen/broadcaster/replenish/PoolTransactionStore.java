package io.raregen.broadcaster.replenish;

import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.jobs.LivePool;
import io.raregen.core.jobs.Spends;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Write-ahead storage of the pool's own transactions (splits, consolidations) in {@code pool_transactions}:
 * a transaction, its {@code spends} rows and its outputs (as {@code pending}) are stored in one database
 * transaction before any broadcast; its outputs become {@code available} only once the network accepted it.
 */
@Singleton
public class PoolTransactionStore {

    /** A UTXO locked (FOR UPDATE) in the caller's transaction, with its unconfirmed chain depth. */
    public record Locked(Utxo utxo, int depth) {
    }

    /** A stored transaction not yet accepted, rebuilt with its previous outputs for Extended Format. */
    public record Stored(String kind, SignedTransaction tx) {
    }

    private final PostgresUtxoPool pool;

    public PoolTransactionStore(PostgresUtxoPool pool) {
        this.pool = pool;
    }

    public PostgresUtxoPool pool() {
        return pool;
    }

    /** Largest funding UTXOs first, skipping rows another process holds. */
    public List<Locked> lockFunding(Connection c, int maxDepth, int limit) throws SQLException {
        return lock(c, """
                SELECT txid, vout, satoshis, script_pub_key, chain_depth FROM utxos
                WHERE purpose = 'funding' AND status = 'available' AND dirty = FALSE AND chain_depth < ?
                ORDER BY satoshis DESC, chain_depth, id LIMIT ? FOR UPDATE SKIP LOCKED""", maxDepth, limit, null);
    }

    /** Small publish UTXOs worth more than the fee their input costs, smallest first. */
    public List<Locked> lockConsolidationCandidates(Connection c, long belowSats, long aboveSats, int maxDepth,
                                                    int limit) throws SQLException {
        return lock(c, """
                SELECT txid, vout, satoshis, script_pub_key, chain_depth FROM utxos
                WHERE purpose = 'publish' AND status = 'available' AND dirty = FALSE AND chain_depth < ?
                  AND satoshis < ? AND satoshis > ?
                ORDER BY satoshis, chain_depth, id LIMIT ? FOR UPDATE SKIP LOCKED""", maxDepth, limit,
                new long[]{belowSats, aboveSats});
    }

    private List<Locked> lock(Connection c, String sql, int maxDepth, int limit, long[] bounds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, maxDepth);
            if (bounds != null) {
                ps.setLong(i++, bounds[0]);
                ps.setLong(i++, bounds[1]);
            }
            ps.setInt(i, limit);
            List<Locked> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Locked(new Utxo(new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2)),
                            Satoshis.of(rs.getLong(3)), rs.getBytes(4)), rs.getInt(5)));
                }
            }
            return out;
        }
    }

    /**
     * Stores a signed pool transaction before broadcast: the row, one {@code spends} row per input (the
     * primary key refuses a second spender of any outpoint), inputs held by {@code holder}, and outputs
     * as {@code pending} with the purposes given per output index (null: not a pool output).
     */
    public void storeSigned(Connection c, String kind, SignedTransaction tx, List<Purpose> outputPurposes,
                            int outputDepth, String holder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO pool_transactions (txid, kind, raw_tx, fee_sats, status, created_at)
                VALUES (?, ?, ?, ?, 'signed', clock_timestamp())""")) {
            ps.setString(1, tx.txid().hex());
            ps.setString(2, kind);
            ps.setBytes(3, tx.raw());
            ps.setLong(4, tx.fee().value());
            ps.executeUpdate();
        }
        new Spends().add(tx, null).insert(c);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE utxos SET status = 'reserved', reserved_at = now(), reserved_until = now() + interval '1 hour',
                       reserved_by = ?
                WHERE txid = ? AND vout = ? AND status = 'available'""")) {
            for (Utxo in : tx.inputs()) {
                ps.setString(1, holder);
                ps.setString(2, in.outpoint().txid().hex());
                ps.setInt(3, in.outpoint().vout());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<Utxo> publish = new ArrayList<>();
        List<Utxo> funding = new ArrayList<>();
        for (int i = 0; i < tx.outputs().size(); i++) {
            Purpose p = i < outputPurposes.size() ? outputPurposes.get(i) : null;
            if (p == null) {
                continue;
            }
            TxOutput o = tx.outputs().get(i);
            Utxo u = new Utxo(new Outpoint(tx.txid(), i), o.value(), o.script());
            (p == Purpose.FUNDING ? funding : publish).add(u);
        }
        PostgresUtxoPool.insertOutputs(c, publish, Purpose.PUBLISH, "pending", outputDepth);
        PostgresUtxoPool.insertOutputs(c, funding, Purpose.FUNDING, "pending", outputDepth);
    }

    /** Stored pool transactions the network has not accepted yet, in the order they were signed. */
    public List<Stored> unsent() {
        return pool.inTransaction(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT txid, kind, raw_tx, fee_sats FROM pool_transactions WHERE status = 'signed'
                    ORDER BY created_at, txid""");
                 PreparedStatement prev = c.prepareStatement(
                         "SELECT satoshis, script_pub_key FROM utxos WHERE txid = ? AND vout = ?");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] raw = rs.getBytes(3);
                    RawTransaction parsed = RawTransaction.parse(raw);
                    List<Utxo> inputs = new ArrayList<>();
                    for (RawTransaction.Input in : parsed.inputs()) {
                        prev.setString(1, in.prevout().txid().hex());
                        prev.setInt(2, in.prevout().vout());
                        try (ResultSet p = prev.executeQuery()) {
                            if (p.next()) {
                                inputs.add(new Utxo(in.prevout(), Satoshis.of(p.getLong(1)), p.getBytes(2)));
                            }
                        }
                    }
                    if (inputs.size() == parsed.inputs().size()) {
                        out.add(new Stored(rs.getString(2), new SignedTransaction(Txid.fromHex(rs.getString(1)), raw,
                                inputs, parsed.outputs(), Satoshis.of(rs.getLong(4)))));
                    }
                }
            }
            return out;
        });
    }

    public void countAttempt(Txid txid) {
        pool.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE pool_transactions SET attempts = attempts + 1 WHERE txid = ?")) {
                ps.setString(1, txid.hex());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The network accepted the transaction: it counts as sent (its fee is paid), its inputs are spent by
     * it, and its pending outputs join the pool one level deeper than its deepest input. Idempotent.
     */
    public void markAccepted(Txid txid) {
        pool.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE pool_transactions SET status = 'sent', sent_at = now(), error_detail = NULL
                    WHERE txid = ? AND status = 'signed'""")) {
                ps.setString(1, txid.hex());
                ps.executeUpdate();
            }
            int depth;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT COALESCE(max(u.chain_depth), 0) + 1 FROM spends s
                    JOIN utxos u ON u.txid = s.outpoint_txid AND u.vout = s.outpoint_vout
                    WHERE s.spending_txid = ? AND s.job_id IS NULL""")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    depth = rs.getInt(1);
                }
            }
            // its inputs leave the pool (V51): their spends rows, written with the transaction, are what stays of them
            Spends.leaveThePoolSpentBy(c, txid);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE utxos SET status = 'available',
                           chain_depth = CASE WHEN block_height IS NULL THEN ? ELSE 0 END
                    WHERE txid = ? AND status = 'pending'""")) {
                ps.setInt(1, depth);
                ps.setString(2, txid.hex());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The network definitively refused the transaction: it is discarded, its pending outputs vanish,
     * its inputs are released and their {@code spends} rows deleted so they can be spent again.
     */
    public void markRejected(Txid txid, String detail) {
        List<Txid> children = pool.inTransaction(c -> {
            List<Txid> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT s.spending_txid FROM spends s JOIN pool_transactions p ON p.txid = s.spending_txid
                    WHERE s.outpoint_txid = ? AND p.status = 'signed'""")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Txid.fromHex(rs.getString(1)));
                    }
                }
            }
            return out;
        });
        // a stored child spends an output that will never exist: discard it first
        for (Txid child : children) {
            markRejected(child, "parent " + txid + " refused");
        }
        pool.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE pool_transactions SET status = 'rejected', error_detail = ?
                    WHERE txid = ? AND status = 'signed'""")) {
                ps.setString(1, detail);
                ps.setString(2, txid.hex());
                if (ps.executeUpdate() == 0) {
                    return null; // already accepted or already discarded
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE utxos u SET status = 'available', reserved_at = NULL, reserved_until = NULL, reserved_by = NULL
                    FROM spends s
                    WHERE s.spending_txid = ? AND s.job_id IS NULL AND u.txid = s.outpoint_txid AND u.vout = s.outpoint_vout
                      AND u.status = 'reserved'""")) {
                ps.setString(1, txid.hex());
                ps.executeUpdate();
            }
            Spends.deleteBySpender(c, txid);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM utxos WHERE txid = ? AND status = 'pending'")) {
                ps.setString(1, txid.hex());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Discards stored, unaccepted pool transactions that spend a retired UTXO (proven spent elsewhere):
     * the network can never accept them. Returns how many were discarded (children included).
     */
    public int discardDoomed() {
        List<Txid> doomed = pool.inTransaction(c -> {
            List<Txid> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT s.spending_txid FROM spends s
                    JOIN utxos u ON u.txid = s.outpoint_txid AND u.vout = s.outpoint_vout
                    JOIN pool_transactions p ON p.txid = s.spending_txid
                    WHERE p.status = 'signed' AND u.status = 'retired'""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Txid.fromHex(rs.getString(1)));
                }
            }
            return out;
        });
        for (Txid t : doomed) {
            markRejected(t, "an input was spent elsewhere");
        }
        return doomed.size();
    }

    /** Usable publish depth for the replenisher: available plus outputs of splits still in flight. */
    public long publishDepthIncludingPending(int maxDepth) {
        return pool.inTransaction(c -> publishDepthIncludingPending(c, maxDepth));
    }

    /** Usable publish outputs, available or pending, below the depth limit (the parameter); the live rows only. */
    public static final String PUBLISH_DEPTH_INCLUDING_PENDING = "SELECT count(*) FROM " + LivePool.ROWS
            + " AS u WHERE purpose = 'publish' AND status IN ('available', 'pending') AND NOT dirty AND chain_depth < ?";

    public long publishDepthIncludingPending(Connection c, int maxDepth) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PUBLISH_DEPTH_INCLUDING_PENDING)) {
            ps.setInt(1, maxDepth);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Only one replenisher (across broadcaster instances) plans splits at a time: a transaction-scoped
     * advisory lock, released at commit. False when another instance holds it.
     */
    public boolean tryLockReplenishment(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('raregen.replenisher'))");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
