package io.raregen.broadcaster.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database outage (no connection to be had, the server shutting down, a connection cut mid-statement) from
 * any other failure. An outage is expected and passes by itself (Hikari reconnects once the server is back), so the
 * pipeline logs it as one line, never a stack trace per attempt; everything else keeps its stack trace.
 */
public final class DatabaseOutage {
    // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down)
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    /** True when {@code t} or one of its causes says the database is unreachable or going away. */
    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLRecoverableException || c instanceof java.net.ConnectException) {
                return true;
            }
            if (c instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state))) {
                    return true;
                }
                // Hikari's answer for a connection it already found broken
                if ("Connection is closed".equals(sql.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line for the log: the outermost message and the innermost cause. */
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t) : t + " (cause: " + root + ")";
    }
}
