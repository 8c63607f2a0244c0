package io.raregen.broadcaster.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One unit of work on one connection inside one database transaction, for the stores of the publication paths
 * (record and anchor): the planner costs for an in-memory working set ({@link PlannerCosts}), commit, or roll back
 * and throw {@link StoreException} naming what failed.
 */
public final class Transactions {

    /** Work on one connection inside one database transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in one transaction and commits it, or rolls back and throws {@link StoreException}. Work that
     * decides to change nothing may call {@code c.rollback()} itself and return: the commit that follows then has
     * nothing to commit.
     */
    public static <T> T run(DataSource ds, Supplier<String> what, Work<T> work) {
        return run(ds, work, e -> new StoreException(what.get() + " failed: " + e.getMessage(), e));
    }

    /** As {@link #run(DataSource, Supplier, Work)}, with the caller's exception for a database failure. */
    public static <T> T run(DataSource ds, Work<T> work, Function<SQLException, RuntimeException> failure) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                PlannerCosts.inMemoryWorkingSet(c);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }
}
