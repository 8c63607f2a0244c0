package io.raregen.broadcaster.funding;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports new outputs paid to the funding address, found through {@link FundingDiscovery}; only with
 * {@code raregen.funding.discovery.enabled=true}. Each output is verified like a manual import.
 */
@Singleton
@Requires(property = "raregen.funding.discovery.enabled", value = "true")
public class FundingDiscoveryJob {
    private static final Logger LOG = LoggerFactory.getLogger(FundingDiscoveryJob.class);

    private final FundingService funding;
    private final FundingDiscovery discovery;

    public FundingDiscoveryJob(FundingService funding, DiscoverySettings settings) {
        this(funding, new WhatsOnChainFundingDiscovery(settings, funding.network()));
    }

    FundingDiscoveryJob(FundingService funding, FundingDiscovery discovery) {
        this.funding = funding;
        this.discovery = discovery;
    }

    @Scheduled(fixedDelay = "${raregen.funding.discovery.interval:5m}", initialDelay = "10s")
    public int discover() {
        int added = 0;
        try {
            for (FundingDiscovery.Discovered d : discovery.unspent(funding.fundingAddress().address())) {
                try {
                    if (funding.importOutput(d.outpoint().toString(), d.rawTxHex(), d.height() > 0 ? 0 : 1).added()) {
                        added++;
                    }
                } catch (FundingException e) {
                    LOG.warn("discovered output {} not imported: {} {}", d.outpoint(), e.code(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("funding discovery failed: {}", e.getMessage());
        }
        if (added > 0) {
            LOG.info("funding discovery imported {} new output(s)", added);
        }
        return added;
    }
}
