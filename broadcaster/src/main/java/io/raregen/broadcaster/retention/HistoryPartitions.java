package io.raregen.broadcaster.retention;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The history's day partitions in Postgres (V49: {@code history_partitions}, {@code ensure_history_partitions},
 * {@code archive_history_partition}): creating them ahead, listing the finished ones, exporting one, dropping it.
 */
public final class HistoryPartitions {

    /** A registered partition not archived yet; {@code from} is null for a table from before partitioning. */
    public record Partition(String name, String parent, Instant from, Instant to) {
    }

    /** What an export wrote: the file, its rows and the SHA-256 of its bytes. */
    public record Export(Path file, long rows, String sha256) {
    }

    private final DataSource dataSource;

    public HistoryPartitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the missing day partitions of {@code table} up to {@code ahead} days after {@code today}; how many. */
    public int ensure(HistoryTable table, Instant today, int ahead) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ensure_history_partitions(?, ?, ?, ?)")) {
            ps.setString(1, table.tableName());
            ps.setString(2, table.timeColumn());
            ps.setTimestamp(3, Timestamp.from(today));
            ps.setInt(4, ahead);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The partitions of {@code table} not archived whose range ended at or before {@code endedBy}, oldest first. */
    public List<Partition> finished(HistoryTable table, Instant endedBy) throws SQLException {
        List<Partition> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT partition_name, parent, from_at, to_at FROM history_partitions
                 WHERE parent = ? AND archived_at IS NULL AND to_at <= ? ORDER BY to_at""")) {
            ps.setString(1, table.tableName());
            ps.setTimestamp(2, Timestamp.from(endedBy));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp from = rs.getTimestamp(3);
                    out.add(new Partition(rs.getString(1), rs.getString(2), from == null ? null : from.toInstant(),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** The earliest time of a row in {@code partition}, if it has any (read through the time column's index). */
    public java.util.Optional<Instant> oldest(HistoryTable table, Partition partition) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT min(" + quoteIdent(table.timeColumn()) + ") FROM " + quoteIdent(partition.name()))) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.toInstant());
        }
    }

    /**
     * Writes the rows of {@code partition} whose time is in [{@code from}, {@code to}) to {@code file} as gzip JSON
     * Lines (one JSON object per row, the table's columns as keys, timestamps in UTC), in {@code table}'s order, from
     * one snapshot.
     */
    public Export export(HistoryTable table, Partition partition, Instant from, Instant to, Path file)
            throws SQLException, IOException {
        MessageDigest sha = sha256();
        long rows = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL TimeZone = 'UTC'");
            }
            String time = quoteIdent(table.timeColumn());
            String sql = "SELECT row_to_json(t)::text FROM " + quoteIdent(partition.name()) + " t WHERE " + time + " >= ? AND "
                    + time + " < ? ORDER BY " + table.order();
            try (PreparedStatement ps = c.prepareStatement(sql);
                 OutputStream raw = Files.newOutputStream(file);
                 DigestOutputStream digest = new DigestOutputStream(raw, sha);
                 GZIPOutputStream gzip = new GZIPOutputStream(digest, 1 << 16);
                 BufferedWriter out = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16)) {
                ps.setFetchSize(1000);
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.write(rs.getString(1));
                        out.write('\n');
                        rows++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return new Export(file, rows, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Drops {@code partition} and records where its rows went, if it still holds exactly the rows exported; false
     * (nothing changed) otherwise. Waits at most {@code lockTimeout} for the table's lock.
     */
    public boolean drop(Partition partition, Instant now, String key, Export export, java.time.Duration lockTimeout)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '" + Math.max(1, lockTimeout.toMillis()) + "ms'");
                }
                boolean dropped;
                try (PreparedStatement ps = c.prepareStatement("SELECT archive_history_partition(?, ?, ?, ?, ?)")) {
                    ps.setString(1, partition.name());
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, key);
                    ps.setLong(4, export.rows());
                    ps.setString(5, export.sha256());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        dropped = rs.getBoolean(1);
                    }
                }
                c.commit();
                return dropped;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Takes the right to archive {@code partition} for as long as the returned handle is open (a session advisory
     * lock on its own connection), or null when another broadcaster holds it.
     */
    public AutoCloseable claim(Partition partition) throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext('history_archive'), hashtext(?))")) {
            ps.setString(1, partition.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return () -> {
                        try (c; PreparedStatement unlock = c.prepareStatement(
                                "SELECT pg_advisory_unlock(hashtext('history_archive'), hashtext(?))")) {
                            unlock.setString(1, partition.name());
                            unlock.execute();
                        }
                    };
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return null;
    }

    /** Rows in {@code table}'s default partition: rows no day partition covered when they were written. */
    public long inDefault(HistoryTable table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quoteIdent(table.tableName() + "_default"))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String quoteIdent(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain identifier: " + name);
        }
        return "\"" + name + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
