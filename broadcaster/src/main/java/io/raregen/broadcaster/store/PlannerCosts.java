package io.raregen.broadcaster.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The planner's cost of a random page read for the pipeline's transactions. The batch statements
 * join a few hundred rows (an unnest of job ids or outpoints, a claimed set) to publish_jobs or
 * utxos. With Postgres's default cost (4, a spinning disk's) the planner preferred to read and hash
 * the whole table over a few hundred index probes, so every batch scanned all of utxos (spent rows
 * included) and, at times, all of publish_jobs: a cost that grows with the tables' history. Seen
 * with auto_explain in the drain benchmark (56 sequential scans of utxos in one drain of 20,000
 * jobs). These tables' working set is in memory, where a random read costs about what a sequential
 * one does; 1.1 is the usual setting for that, and with it the same statements probe the indexes.
 * {@code SET LOCAL}: it ends with the transaction, so a pooled connection goes back unchanged.
 */
public final class PlannerCosts {

    private PlannerCosts() {
    }

    /** Call first in a transaction (autocommit off). */
    public static void inMemoryWorkingSet(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL random_page_cost = 1.1");
        }
    }
}
