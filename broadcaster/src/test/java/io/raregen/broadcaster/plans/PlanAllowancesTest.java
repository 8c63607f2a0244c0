package io.raregen.broadcaster.plans;

import io.raregen.broadcaster.support.Sql;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The monthly plan allowance on a real Postgres: once per account and month, whatever runs it how often. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanAllowancesTest {

    private TestDatabase db;

    @BeforeAll
    void start() throws SQLException {
        db = TestDatabase.create();
        sql("INSERT INTO plans (name, monthly_credits) VALUES ('basic', 100), ('pro', 5000)");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    private PlanAllowances at(String instant) {
        return new PlanAllowances(db.dataSource(), Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private String account(String plan) throws SQLException {
        String id = UUID.randomUUID().toString();
        sql("INSERT INTO accounts (account_id, email, plan) VALUES ('" + id + "', '" + id + "@example.com', "
                + (plan == null ? "NULL" : "'" + plan + "'") + ")");
        sql("INSERT INTO account_balances (account_id, credits) VALUES ('" + id + "', 0)");
        return id;
    }

    @Test
    void eachAccountOnAPlan_getsItsAllowanceOncePerMonth_andOthersNothing() throws SQLException {
        String basic = account("basic");
        String pro = account("pro");
        String none = account(null);

        assertEquals(2, at("2026-12-01T00:10:00Z").grantDue());
        assertEquals(0, at("2026-12-01T01:10:00Z").grantDue(), "the same month again: nothing");
        assertEquals(0, at("2026-12-31T23:59:59Z").grantDue());
        assertEquals(100, credits(basic));
        assertEquals(5000, credits(pro));
        assertEquals(0, credits(none));

        // a plan change within the month grants nothing more; the next month grants the new plan's
        sql("UPDATE accounts SET plan = 'pro' WHERE account_id = '" + basic + "'");
        assertEquals(0, at("2026-12-15T00:00:00Z").grantDue());
        assertEquals(2, at("2027-01-01T00:00:01Z").grantDue());
        assertEquals(5100, credits(basic));
        assertEquals(10000, credits(pro));
        assertEquals(2, count("SELECT count(*) FROM credit_ledger WHERE account_id = '" + basic + "' AND kind = 'plan'"));
        assertEquals("2027-01", text("SELECT reference FROM credit_ledger WHERE account_id = '" + basic
                + "' AND kind = 'plan' ORDER BY entry_id DESC LIMIT 1"));
        assertEquals(0, count("""
                SELECT count(*) FROM account_balances b
                WHERE b.credits <> (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.account_id = b.account_id)
                """), "every balance equals its ledger");
    }

    @Test
    void twoBroadcastersRunningAtOnce_grantOnce() throws Exception {
        String id = account("basic");
        PlanAllowances a = at("2030-03-01T00:00:00Z");
        PlanAllowances b = at("2030-03-01T00:00:00Z");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var fa = pool.submit(a::grantDue);
            var fb = pool.submit(b::grantDue);
            fa.get();
            fb.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, credits(id));
        assertEquals(1, count("SELECT count(*) FROM credit_ledger WHERE account_id = '" + id + "' AND reference = '2030-03'"));
    }

    private long credits(String id) throws SQLException {
        return count("SELECT credits FROM account_balances WHERE account_id = '" + id + "'");
    }

    private void sql(String s) throws SQLException {
        new Sql(db).run(s);
    }

    private long count(String s) throws SQLException {
        return new Sql(db).number(s);
    }

    private String text(String s) throws SQLException {
        return new Sql(db).text(s);
    }
}
