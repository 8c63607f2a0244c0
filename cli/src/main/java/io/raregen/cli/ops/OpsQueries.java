package io.raregen.cli.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original batch mode's four monitoring queries (docs/ARCHITECTURE.md#the-original-system),
 * adapted to this schema: a job that was sent and then mined
 * still counts as sent, batches are checked for gapless {@code batch_seq}, and failures are
 * grouped by their stable {@code error_code}.
 */
public final class OpsQueries {

    /** One titled result: column names and rows of display strings. */
    public record Result(String title, List<String> columns, List<List<String>> rows) {
    }

    static final String THROUGHPUT = """
            SELECT COUNT(*) FILTER (WHERE sent_at > now() - INTERVAL '3 seconds')           AS sent_last_3s,
                   ROUND(COUNT(*) FILTER (WHERE sent_at > now() - INTERVAL '3 seconds') / 3.0, 2)  AS tx_per_sec_3s,
                   COUNT(*) FILTER (WHERE sent_at > now() - INTERVAL '60 seconds')          AS sent_last_60s,
                   ROUND(COUNT(*) FILTER (WHERE sent_at > now() - INTERVAL '60 seconds') / 60.0, 2) AS tx_per_sec_60s
            FROM job_sends
            WHERE sent_at > now() - INTERVAL '60 seconds'
            """;

    static final String BATCH_HEALTH = """
            SELECT j.processing_batch_id                                AS batch,
                   COUNT(*)                                             AS jobs,
                   to_char(MIN(j.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS first_job_created_utc,
                   ROUND(EXTRACT(EPOCH FROM MAX(COALESCE(b.sent_at, j.sent_at)) - MIN(j.created_at))::numeric, 3)
                                                                        AS processing_seconds,
                   CASE WHEN MIN(j.batch_seq) = 1 AND MAX(j.batch_seq) = COUNT(*) AND COUNT(DISTINCT j.batch_seq) = COUNT(*)
                        THEN 'sequential' ELSE 'GAPS' END               AS sequencing,
                   COUNT(*) FILTER (WHERE j.status IN ('sent', 'mined') OR b.sent_at IS NOT NULL) AS sent,
                   COUNT(*) FILTER (WHERE j.status = 'failed')          AS failed
            -- a signed row of a sent batch is sent (the job_states view, inlined so the id range reaches the index)
            FROM publish_jobs j
            LEFT JOIN publish_batches b ON j.status = 'signed' AND j.mode = 'record'
                                       AND b.batch_id = j.processing_batch_id AND b.sent_at IS NOT NULL
            WHERE j.processing_batch_id IS NOT NULL
              AND j.job_id >= job_ids_from(now() - INTERVAL '10 minutes')
              AND j.created_at > now() - INTERVAL '10 minutes'
            GROUP BY j.processing_batch_id
            ORDER BY MIN(j.created_at) DESC
            LIMIT 10
            """;

    static final String POOL_DEPTH = """
            SELECT satoshis, COUNT(*) AS count, SUM(satoshis) AS total_value
            FROM utxos
            WHERE status = 'available' AND purpose = 'publish' AND NOT dirty
            GROUP BY satoshis
            ORDER BY satoshis
            """;

    static final String ERROR_RATE = """
            SELECT error_code,
                   COUNT(*) AS occurrences,
                   ROUND(COUNT(*) * 100.0 / NULLIF((SELECT COUNT(*) FROM publish_jobs
                                                    WHERE created_at > now() - INTERVAL '1 hour'), 0), 2) AS error_rate_pct
            FROM publish_jobs
            WHERE status = 'failed'
              AND created_at > now() - INTERVAL '1 hour'
            GROUP BY error_code
            ORDER BY occurrences DESC
            """;

    /**
     * The history's partitions (V49): each one's range, what it holds now (live: its rows and bytes in Postgres) or
     * where it went (archived: the object and the rows it held). The default partition first, then newest first.
     */
    static final String HISTORY = """
            SELECT "table", "partition", from_utc, to_utc, state, "rows", size, archived_utc, archive_key FROM (
              SELECT h.parent AS "table", h.partition_name AS "partition",
                     COALESCE(to_char(h.from_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'beginning') AS from_utc,
                     to_char(h.to_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS to_utc,
                     CASE WHEN h.archived_at IS NOT NULL THEN 'archived'
                          WHEN h.from_at > now() THEN 'ahead' ELSE 'live' END AS state,
                     COALESCE(h.archived_rows, GREATEST(c.reltuples, 0)::bigint) AS "rows",
                     CASE WHEN c.oid IS NULL THEN NULL ELSE pg_size_pretty(pg_total_relation_size(c.oid)) END AS size,
                     to_char(h.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS archived_utc,
                     h.archive_key, COALESCE(h.from_at, '-infinity') AS sort_at
                FROM history_partitions h
                LEFT JOIN pg_class c ON c.oid = to_regclass(h.partition_name)
              UNION ALL
              SELECT p.relname::text, d.relname::text, NULL, NULL, 'default',
                     GREATEST(d.reltuples, 0)::bigint, pg_size_pretty(pg_total_relation_size(d.oid)), NULL, NULL, 'infinity'
                FROM pg_partitioned_table pt
                JOIN pg_class p ON p.oid = pt.partrelid
                JOIN pg_class d ON d.oid = pt.partdefid
            ) partitions
            ORDER BY "table", sort_at DESC
            """;


    /** The history's partitions, for {@code raregen ops history}; rows are Postgres's estimate for live partitions. */
    public static Result history(Connection c) throws SQLException {
        return run(c, "History partitions (rows: the archived count, or Postgres's estimate)", HISTORY);
    }

    private OpsQueries() {
    }

    public static List<Result> all(Connection c) throws SQLException {
        List<Result> out = new ArrayList<>();
        out.add(run(c, "Throughput (sent in the last 3 s / 60 s)", THROUGHPUT));
        out.add(run(c, "Batch health (last 10 minutes)", BATCH_HEALTH));
        out.add(run(c, "UTXO pool depth (available publish UTXOs)", POOL_DEPTH));
        out.add(run(c, "Error rate (failed jobs, last hour)", ERROR_RATE));
        return out;
    }

    static Result run(Connection c, String title, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return toResult(title, rs);
        }
    }

    static Result toResult(String title, ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> r = new ArrayList<>();
            for (int i = 1; i <= cols.size(); i++) {
                Object v = rs.getObject(i);
                r.add(v == null ? null : v.toString());
            }
            rows.add(r);
        }
        return new Result(title, cols, rows);
    }

    /** A row as a column → value map, for JSON output. */
    public static List<Map<String, String>> asMaps(Result r) {
        List<Map<String, String>> l = new ArrayList<>();
        for (List<String> row : r.rows()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < r.columns().size(); i++) {
                m.put(r.columns().get(i), row.get(i));
            }
            l.add(m);
        }
        return l;
    }
}
