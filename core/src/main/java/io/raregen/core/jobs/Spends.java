package io.raregen.core.jobs;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one writer of {@code spends} (the broadcaster's stores and the chain reconciliation both go through it): a row
 * per input of each signed transaction, stored in the same database transaction as the transaction's bytes (a
 * publication's, with its job id, or a pool transaction's, without; one multi-row statement per call), and deleted
 * with a transaction that is discarded, in the caller's database transaction. The table's primary key (the outpoint)
 * makes a second stored spend of one outpoint fail.
 */
public final class Spends {
    private static final String INSERT = "INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis) "
            + "SELECT * FROM unnest(?::char(64)[], ?::int[], ?::char(64)[], ?::varchar[], ?::bigint[])";

    private final List<String> outpointTxids = new ArrayList<>();
    private final List<Integer> outpointVouts = new ArrayList<>();
    private final List<String> spenders = new ArrayList<>();
    private final List<String> jobIds = new ArrayList<>();
    private final List<Long> satoshis = new ArrayList<>();

    /** Every input of {@code tx}, spent for {@code jobId} (null: a pool transaction). */
    public Spends add(SignedTransaction tx, JobId jobId) {
        for (Utxo in : tx.inputs()) {
            add(in.outpoint(), in.satoshis(), tx.txid(), jobId);
        }
        return this;
    }

    /** One input: {@code outpoint}, worth {@code value}, spent by {@code spender} for {@code jobId} (null: none). */
    public Spends add(Outpoint outpoint, Satoshis value, Txid spender, JobId jobId) {
        outpointTxids.add(outpoint.txid().hex());
        outpointVouts.add(outpoint.vout());
        spenders.add(spender.hex());
        jobIds.add(jobId == null ? null : jobId.value());
        satoshis.add(value.value());
        return this;
    }

    /** Inserts what was added, in {@code c}'s transaction; nothing when nothing was added. */
    public void insert(Connection c) throws SQLException {
        if (outpointTxids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("bpchar", outpointTxids.toArray()));
            ps.setArray(2, c.createArrayOf("int4", outpointVouts.toArray()));
            ps.setArray(3, c.createArrayOf("bpchar", spenders.toArray()));
            ps.setArray(4, c.createArrayOf("varchar", jobIds.toArray()));
            ps.setArray(5, c.createArrayOf("int8", satoshis.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the rows of every input {@code spender} spends (a discarded anchor or pool transaction: rows of no job,
     * read through the partial index {@code idx_spends_unowned_spender}, V45).
     */
    public static void deleteBySpender(Connection c, Txid spender) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM spends WHERE spending_txid = ? AND job_id IS NULL")) {
            ps.setString(1, spender.hex());
            ps.executeUpdate();
        }
    }

    /** Deletes the rows of a job's discarded transaction {@code spender} (through {@code idx_spends_job}). */
    public static void deleteForJob(Connection c, JobId jobId, Txid spender) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM spends WHERE job_id = ? AND spending_txid = ?")) {
            ps.setString(1, jobId.value());
            ps.setString(2, spender.hex());
            ps.executeUpdate();
        }
    }
}
