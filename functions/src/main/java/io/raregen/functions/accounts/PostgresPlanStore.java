package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.AccountId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link PlanStore} on {@code plans} and {@code accounts.plan} (V36). */
@Singleton
public class PostgresPlanStore implements PlanStore {

    private static final String COLUMNS = "name, monthly_credits, created_at, updated_at";
    private static final String LIST = "SELECT " + COLUMNS + " FROM plans ORDER BY name";
    private static final String PUT = "INSERT INTO plans (name, monthly_credits) VALUES (?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET monthly_credits = EXCLUDED.monthly_credits, updated_at = now() RETURNING " + COLUMNS;
    // the plan is checked in the same statement: no row for a plan that does not exist (null always exists)
    private static final String ASSIGN = "UPDATE accounts SET plan = ? WHERE account_id = ? "
            + "AND (?::text IS NULL OR EXISTS (SELECT 1 FROM plans WHERE name = ?)) RETURNING account_id";
    private static final String ACCOUNT_EXISTS = "SELECT 1 FROM accounts WHERE account_id = ?";

    private final DataSource dataSource;

    public PostgresPlanStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<Plan> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LIST); ResultSet rs = ps.executeQuery()) {
            List<Plan> out = new ArrayList<>();
            while (rs.next()) {
                out.add(plan(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing plans", e);
        }
    }

    @Override
    public Plan put(String name, long monthlyCredits) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PUT)) {
            ps.setString(1, name);
            ps.setLong(2, monthlyCredits);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return plan(rs);
            }
        } catch (SQLException e) {
            throw new StorageException("storing the plan", e);
        }
    }

    @Override
    public Assignment assign(AccountId account, @Nullable String plan) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(ASSIGN)) {
                ps.setString(1, plan);
                ps.setObject(2, account.value());
                ps.setString(3, plan);
                ps.setString(4, plan);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Assignment.DONE;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(ACCOUNT_EXISTS)) {
                ps.setObject(1, account.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Assignment.NO_SUCH_PLAN : Assignment.NO_SUCH_ACCOUNT;
                }
            }
        } catch (SQLException e) {
            throw new StorageException("putting the account on the plan", e);
        }
    }

    private static Plan plan(ResultSet rs) throws SQLException {
        return new Plan(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant());
    }
}
