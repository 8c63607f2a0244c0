package io.raregen.cli.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/** Plain JDBC queries against the local stack's database (one connection, autocommit). */
final class StackDb implements AutoCloseable {
    private final Connection c;

    StackDb(Connection c) {
        this.c = c;
    }

    Connection connection() {
        return c;
    }

    /** The single number the query answers (count, sum, ...); NULL reads as 0. */
    long scalar(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no row: " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** The first column of every row, as text. */
    List<String> strings(String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Polls {@code sql} every 250 ms until its value satisfies {@code done} or {@code timeout} passed; returns the last
     * value either way, so the caller's assertion reports what it saw.
     */
    long await(String sql, LongPredicate done, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long v = scalar(sql);
        while (!done.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            v = scalar(sql);
        }
        return v;
    }

    PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
