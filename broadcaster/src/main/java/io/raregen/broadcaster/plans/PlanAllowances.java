package io.raregen.broadcaster.plans;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.Clock;

/**
 * Grants every account on a plan its monthly allowance (docs/ACCOUNTS.md#plans): one {@code plan} ledger entry per
 * account and calendar month (UTC), referenced by the month, and the balance raised by as much, in one statement.
 * The reference makes it idempotent: a second run in the month, a restart or a second broadcaster grants nothing.
 * An account put on a plan mid-month gets that month's allowance at the next run; a plan change within a month
 * does not grant again.
 */
public final class PlanAllowances {

    private static final String GRANT = """
            WITH granted AS (
              INSERT INTO credit_ledger (account_id, delta, kind, reference, note)
              SELECT a.account_id, p.monthly_credits, 'plan', ?, 'monthly allowance of plan ' || p.name || ' for ' || ?
              FROM accounts a JOIN plans p ON p.name = a.plan
              ORDER BY a.account_id
              ON CONFLICT (account_id, kind, reference) WHERE reference IS NOT NULL DO NOTHING
              RETURNING account_id, delta
            )
            UPDATE account_balances b SET credits = b.credits + g.delta
            FROM granted g WHERE b.account_id = g.account_id
            """;

    private final DataSource dataSource;
    private final Clock clock;

    public PlanAllowances(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Grants what is due this month; returns how many accounts got their allowance now. */
    public int grantDue() throws SQLException {
        String month = YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(GRANT)) {
            ps.setString(1, month);
            ps.setString(2, month);
            return ps.executeUpdate();
        }
    }
}
