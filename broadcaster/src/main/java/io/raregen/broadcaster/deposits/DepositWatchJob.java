package io.raregen.broadcaster.deposits;

import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.funding.FundingService;
import io.raregen.broadcaster.keys.ServiceKeys;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/** Runs {@link DepositWatch} every {@code raregen.deposits.interval} (default 30 s); off with {@code raregen.deposits.enabled=false}. */
@Singleton
@Requires(property = "raregen.deposits.enabled", notEquals = "false")
public class DepositWatchJob {

    private static final Logger LOG = LoggerFactory.getLogger(DepositWatchJob.class);

    private final DepositWatch watch;

    public DepositWatchJob(DataSource wrapped, DataSourceResolver resolver, DepositSettings settings, ServiceKeys keys,
                           FundingService funding, TransactionBroadcaster broadcaster, ArcFeePolicy fees) {
        this.watch = new DepositWatch(new DepositStore(resolver.resolve(wrapped)), new DepositChain(settings, funding.network()),
                keys.fundingKey(), funding.network(), settings, broadcaster, funding, fees);
    }

    @Scheduled(fixedDelay = "${raregen.deposits.interval:30s}", initialDelay = "${raregen.deposits.initial-delay:5s}")
    public void run() {
        try {
            DepositWatch.Round r = watch.runOnce();
            if (r.credited() > 0 || r.swept() > 0) {
                LOG.info("deposits: {} payment(s) seen, {} credited, {} moved to the funding address", r.seen(), r.credited(), r.swept());
            }
        } catch (Exception e) {
            LOG.warn("deposit watch round failed ({}); the next round tries again", e.toString());
        }
    }
}
