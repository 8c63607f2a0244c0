package io.raregen.functions.status;

import io.raregen.core.jobs.LivePool;
import io.raregen.core.jobs.Spends;
import io.raregen.core.types.JobId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link StatusRepository} on Postgres. */
@Singleton
public class PostgresStatusRepository implements StatusRepository {

    private static final List<String> UTXO_STATUSES = List.of("available", "reserved", "pending", "spent", "retired");
    private static final List<String> JOB_STATUSES = List.of("queued", "processing", "signed", "sent", "mined", "failed");

    private static final String JOB = """
            SELECT j.job_id, s.status, j.pubkey, j.record_id, COALESCE(j.txid, a.txid), j.processing_batch_id, j.batch_seq,
                   j.created_at, j.signed_at, s.sent_at, j.mined_at, COALESCE(j.block_hash, a.block_hash),
                   COALESCE(j.block_height, a.block_height), j.error_code, j.error_detail, j.mode, a.batch_id,
                   j.anchor_leaf_index, a.tree_size, a.root
            FROM publish_jobs j JOIN job_states s ON s.job_id = j.job_id
            LEFT JOIN anchor_batches a ON a.batch_id = j.anchor_batch_id WHERE j.job_id = ?
            """;
    private static final String BATCH = """
            SELECT batch_id, status, job_count, created_at, signed_at, broadcasted_at, completed_at, error_detail
            FROM publish_batches WHERE batch_id = ?
            """;
    private static final String BATCH_JOBS = """
            SELECT j.job_id, j.batch_seq, s.status, j.txid FROM publish_jobs j JOIN job_states s ON s.job_id = j.job_id
            WHERE j.processing_batch_id = ? ORDER BY j.batch_seq NULLS LAST, j.job_id
            """;
    /** The pool rows by status; outputs spent since V51 left utxos, their spends rows count as 'spent'. */
    private static final String UTXOS_BY_STATUS =
            "SELECT status, count(*), COALESCE(sum(satoshis), 0) FROM utxos GROUP BY status UNION ALL " + Spends.SPENT_SINCE_V51;
    private static final String DENOMINATIONS = """
            SELECT purpose, satoshis,
                   count(*) FILTER (WHERE status = 'available'),
                   count(*) FILTER (WHERE status = 'reserved'),
                   count(*) FILTER (WHERE status = 'pending')
            FROM\s""" + LivePool.ROWS + """
             AS u WHERE NOT dirty
            GROUP BY purpose, satoshis ORDER BY purpose, satoshis
            """;
    private static final String DIRTY = "SELECT count(*) FROM utxos WHERE dirty";
    // a signed record-mode row of a sent batch is sent (V47's job_states)
    private static final String FEES = """
            WITH jobs AS (
              SELECT COALESCE(sum(j.fee_sats) FILTER (WHERE j.status IN ('sent', 'mined') OR b.sent_at IS NOT NULL), 0) AS spent,
                     COALESCE(sum(j.fee_sats) FILTER (WHERE j.status = 'signed' AND b.sent_at IS NULL), 0) AS signed
                FROM publish_jobs j
                LEFT JOIN publish_batches b ON j.status = 'signed' AND j.mode = 'record'
                                           AND b.batch_id = j.processing_batch_id AND b.sent_at IS NOT NULL
               WHERE j.status IN ('signed', 'sent', 'mined'))
            SELECT
              (SELECT spent FROM jobs)
                + (SELECT COALESCE(sum(fee_sats), 0) FROM anchor_batches WHERE status IN ('sent', 'mined')),
              (SELECT COALESCE(sum(fee_sats), 0) FROM pool_transactions WHERE status IN ('sent', 'mined')),
              (SELECT signed FROM jobs)
                + (SELECT COALESCE(sum(fee_sats), 0) FROM pool_transactions WHERE status = 'signed')
                + (SELECT COALESCE(sum(fee_sats), 0) FROM anchor_batches WHERE status = 'signed')
            """;
    private static final String JOBS_BY_STATUS = "SELECT status, count(*) FROM job_states GROUP BY status";

    private final DataSource dataSource;

    public PostgresStatusRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<JobView> findJob(JobId jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(JOB)) {
            ps.setString(1, jobId.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String errorCode = rs.getString(14);
                String id = rs.getString(1);
                return Optional.of(new JobView(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), (Integer) rs.getObject(7), instant(rs.getTimestamp(8)),
                        instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)),
                        rs.getString(12), (Integer) rs.getObject(13),
                        errorCode == null ? null : new JobView.JobError(errorCode, rs.getString(15)),
                        "/v1/jobs/" + id + "/proof", rs.getString(16),
                        rs.getString(17) == null ? null : new JobView.Anchor(rs.getString(17), rs.getInt(18), rs.getInt(19),
                                rs.getString(20))));
            }
        } catch (SQLException e) {
            throw new StorageException("reading the job", e);
        }
    }

    @Override
    public Optional<BatchView> findBatch(String batchId) {
        try (Connection c = dataSource.getConnection()) {
            List<BatchView.BatchJob> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(BATCH_JOBS)) {
                ps.setString(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(new BatchView.BatchJob(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(BATCH)) {
                ps.setString(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new BatchView(rs.getString(1), rs.getString(2), rs.getInt(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)), rs.getString(8), jobs));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("reading the batch", e);
        }
    }

    @Override
    public PoolReport poolReport() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // one snapshot for all figures, so the conservation sums are consistent with each other
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Map<String, PoolReport.Bucket> byStatus = new LinkedHashMap<>();
                UTXO_STATUSES.forEach(st -> byStatus.put(st, new PoolReport.Bucket(0, 0)));
                try (ResultSet rs = s.executeQuery(UTXOS_BY_STATUS)) {
                    while (rs.next()) {
                        byStatus.merge(rs.getString(1), new PoolReport.Bucket(rs.getLong(2), rs.getLong(3)),
                                (a, b) -> new PoolReport.Bucket(a.count() + b.count(), a.satoshis() + b.satoshis()));
                    }
                }
                List<PoolReport.Denomination> denominations = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(DENOMINATIONS)) {
                    while (rs.next()) {
                        denominations.add(new PoolReport.Denomination(rs.getString(1), rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5)));
                    }
                }
                long dirty;
                try (ResultSet rs = s.executeQuery(DIRTY)) {
                    rs.next();
                    dirty = rs.getLong(1);
                }
                long publishFees;
                long poolFees;
                long committed;
                try (ResultSet rs = s.executeQuery(FEES)) {
                    rs.next();
                    publishFees = rs.getLong(1);
                    poolFees = rs.getLong(2);
                    committed = rs.getLong(3);
                }
                Map<String, Long> jobs = new LinkedHashMap<>();
                JOB_STATUSES.forEach(st -> jobs.put(st, 0L));
                try (ResultSet rs = s.executeQuery(JOBS_BY_STATUS)) {
                    while (rs.next()) {
                        jobs.put(rs.getString(1), rs.getLong(2));
                    }
                }
                long available = byStatus.get("available").satoshis();
                long reserved = byStatus.get("reserved").satoshis();
                long pending = byStatus.get("pending").satoshis();
                PoolReport.Conservation conservation = new PoolReport.Conservation(available, reserved, pending,
                        available + reserved + pending, publishFees, poolFees, publishFees + poolFees, committed);
                return new PoolReport(byStatus, denominations, dirty, conservation, jobs);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("reading the pool", e);
        }
    }

    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
