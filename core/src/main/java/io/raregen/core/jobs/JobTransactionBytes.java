package io.raregen.core.jobs;

import io.raregen.core.types.JobId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The bytes of a job's own signed transaction (migration V43): written once into {@code publish_job_transactions}
 * when the job is signed, deleted when the transaction is discarded, read to (re)send it and for proofs. Jobs signed
 * before V43 keep theirs in {@code publish_jobs.raw_tx}, so readers take {@link #rawTxOf}. Whether a job has a stored
 * transaction of its own is told by {@code publish_jobs.txid}. The job-transition trigger lets a record-mode job
 * become {@code signed} only with its bytes stored, and leave a stored transaction only with them deleted, so
 * callers write the bytes before the job row and delete them before clearing its txid, in the same transaction.
 */
public final class JobTransactionBytes {

    private static final String INSERT = "INSERT INTO publish_job_transactions (job_id, raw_tx) "
            + "SELECT * FROM unnest(?::varchar[], ?::bytea[])";
    private static final String DELETE = "DELETE FROM publish_job_transactions WHERE job_id = ?";

    private JobTransactionBytes() {
    }

    /** SQL for the stored bytes of the job row aliased {@code job} (NULL when it has no transaction of its own). */
    public static String rawTxOf(String job) {
        return "COALESCE((SELECT t.raw_tx FROM publish_job_transactions t WHERE t.job_id = " + job + ".job_id), "
                + job + ".raw_tx)";
    }

    /** Stores the bytes of the jobs' transactions, {@code raws.get(i)} for {@code jobIds.get(i)}, in one statement. */
    public static void insert(Connection c, List<JobId> jobIds, List<byte[]> raws) throws SQLException {
        if (jobIds.size() != raws.size()) {
            throw new IllegalArgumentException(jobIds.size() + " job ids for " + raws.size() + " transactions");
        }
        String[] ids = new String[jobIds.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = jobIds.get(i).value();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("varchar", ids));
            ps.setArray(2, c.createArrayOf("bytea", raws.toArray(new byte[0][])));
            ps.executeUpdate();
        }
    }

    /** Deletes the job's stored bytes (its transaction is being discarded). */
    public static void delete(Connection c, JobId jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, jobId.value());
            ps.executeUpdate();
        }
    }
}
