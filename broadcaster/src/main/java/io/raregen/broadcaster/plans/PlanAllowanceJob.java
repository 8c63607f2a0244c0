package io.raregen.broadcaster.plans;

import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Runs {@link PlanAllowances} every {@code raregen.plans.interval} (default 1 hour, first run 30 s after start), so
 * each account on a plan has its month's credits within an hour of the month's start or of being put on the plan.
 * {@code raregen.plans.enabled=false} turns it off.
 */
@Singleton
@Requires(property = "raregen.plans.enabled", notEquals = "false")
public class PlanAllowanceJob {

    private static final Logger LOG = LoggerFactory.getLogger(PlanAllowanceJob.class);

    private final PlanAllowances allowances;

    public PlanAllowanceJob(DataSource wrapped, DataSourceResolver resolver) {
        // plain JDBC: the real pool, not Micronaut's transaction-aware proxy
        this.allowances = new PlanAllowances(resolver.resolve(wrapped), Clock.systemUTC());
    }

    @Scheduled(fixedDelay = "${raregen.plans.interval:1h}", initialDelay = "${raregen.plans.initial-delay:30s}")
    public void run() {
        try {
            int granted = allowances.grantDue();
            if (granted > 0) {
                LOG.info("plan allowances: {} account(s) got this month's credits", granted);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("plan allowances not granted this round ({}); the next round tries again", e.toString());
        }
    }
}
