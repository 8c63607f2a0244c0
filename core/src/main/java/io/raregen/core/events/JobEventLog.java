package io.raregen.core.events;

import io.raregen.core.types.JobId;
import io.raregen.core.types.PublicKey;
import io.raregen.core.types.Txid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the job event log: the audit rows of job transitions that are events (to sent, mined or
 * failed), in the order (transaction id, event id), and only those whose writing transaction is older than
 * every transaction still running. Why the order and the horizon make a cursor that never skips an event
 * is written in V30. Shared by the event stream (functions app) and the webhook fan-out (broadcaster).
 * Plain JDBC: callers bring their own connection.
 */
public final class JobEventLog {

    /**
     * Each row of {@code publish_job_transition_sets} is one statement's change of many jobs from one status to
     * another (V40), and owns the event ids [id, id + jobs - 1]: the k-th job of a set has id + k - 1. A set never
     * holds more than {@value #SET_SPAN} jobs, so the sets that can hold an event after (X, I) are those after
     * (X, I - SET_SPAN): that bound is the index range, and the exact comparison is made per job.
     */
    static final long SET_SPAN = 1_000_000;

    private static final String COLUMNS = """
            SELECT s.xact::text, s.id + u.ord - 1, u.job_id, j.pubkey, s.to_status, s.from_status, u.txid,
                   coalesce(s.reason, CASE WHEN s.to_status = 'failed' THEN j.error_code END), s.at
            FROM publish_job_transition_sets s
            CROSS JOIN LATERAL unnest(s.job_ids, s.txids) WITH ORDINALITY AS u(job_id, txid, ord)
            JOIN publish_jobs j ON j.job_id = u.job_id
            WHERE s.to_status IN ('sent', 'mined', 'failed') AND s.xact IS NOT NULL
              AND (s.xact, s.id) > (CAST(CAST(? AS text) AS xid8), ?)
              AND (s.xact, s.id + u.ord - 1) > (CAST(CAST(? AS text) AS xid8), ?)
              AND s.xact < pg_snapshot_xmin(pg_current_snapshot())
            """;
    private static final String ORDER = " ORDER BY s.xact, s.id, u.ord LIMIT ?";

    private JobEventLog() {
    }

    /** Events after {@code after}, oldest first, at most {@code limit}; of one key's jobs when a key is given. */
    public static List<JobEvent> read(Connection c, EventId after, Optional<PublicKey> key, int limit)
            throws SQLException {
        String sql = COLUMNS + (key.isPresent() ? " AND j.pubkey = ?" : "") + ORDER;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, Long.toString(after.xact()));
            ps.setLong(i++, after.id() - SET_SPAN);
            ps.setString(i++, Long.toString(after.xact()));
            ps.setLong(i++, after.id());
            if (key.isPresent()) {
                ps.setString(i++, key.get().hex());
            }
            ps.setInt(i, limit);
            List<JobEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String txid = rs.getString(7);
                    events.add(new JobEvent(
                            new EventId(Long.parseLong(rs.getString(1)), rs.getLong(2)),
                            new JobId(rs.getString(3)),
                            PublicKey.fromHex(rs.getString(4)),
                            rs.getString(5),
                            rs.getString(6),
                            txid == null ? null : Txid.fromHex(txid),
                            rs.getString(8),
                            rs.getTimestamp(9).toInstant()));
                }
            }
            return events;
        }
    }

    /**
     * What one read of the log gave a reader: the events, and the position to read after next time.
     * The position can be past the last event: when a reader that follows one key has seen every
     * readable event, its position moves to the head of the whole log, so its next read does not walk
     * again through the other keys' events it has already passed.
     */
    public record Page(List<JobEvent> events, EventId position) {
        public Page {
            events = List.copyOf(events);
        }
    }

    /**
     * Like {@link #read}, and also says where the next read starts. The head is taken before the read:
     * every event up to it is readable to the read too (the horizon only moves forward), so when the
     * read returned fewer than {@code limit} events it has seen all of them, and the reader may move to
     * the head.
     */
    public static Page readPage(Connection c, EventId after, Optional<PublicKey> key, int limit)
            throws SQLException {
        EventId head = head(c);
        List<JobEvent> events = read(c, after, key, limit);
        EventId position = events.isEmpty() ? after : events.get(events.size() - 1).id();
        if (events.size() < limit && head.compareTo(position) > 0) {
            position = head;
        }
        return new Page(events, position);
    }

    /**
     * The position of the newest readable event, or {@link EventId#START} when the log is empty: where a
     * reader that wants only what happens from now on starts.
     */
    public static EventId head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.xact::text, s.id + cardinality(s.job_ids) - 1 FROM publish_job_transition_sets s
                WHERE s.to_status IN ('sent', 'mined', 'failed') AND s.xact IS NOT NULL
                  AND s.xact < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY s.xact DESC, s.id DESC LIMIT 1""");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new EventId(Long.parseLong(rs.getString(1)), rs.getLong(2)) : EventId.START;
        }
    }

    /**
     * Whether an id a client sent back can be a position in this log: its transaction must have started
     * already (an id "from the future" was never handed out by this database).
     */
    public static boolean isPast(Connection c, EventId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT CAST(CAST(? AS text) AS xid8) < pg_snapshot_xmax(pg_current_snapshot())")) {
            ps.setString(1, Long.toString(id.xact()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
