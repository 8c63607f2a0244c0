package io.raregen.broadcaster.deposits;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * BSV top-ups ({@code raregen.deposits.*}, docs/ACCOUNTS.md#top-up-in-bsv): the watch of every account's deposit
 * address, the price, and where the chain is read. How often the watch runs is the schedule's own
 * {@code raregen.deposits.interval} (default 30 s, {@link DepositWatchJob}).
 */
@ConfigurationProperties("raregen.deposits")
public class DepositSettings {
    /** Off: no terms published, no address watched. */
    private boolean enabled = true;
    /** Satoshis per credit (the published price); a payment buys floor(satoshis / this) credits. */
    private long satsPerCredit = 100;
    /** Blocks a payment must be in (the block that holds it counts as one) before it is credited. */
    private int confirmations = 6;
    /** WhatsOnChain-shaped API: {@code {url}/{main|test}/address/{a}/unspent} and {@code /chain/info}. */
    private String chainUrl = "https://api.whatsonchain.com/v1/bsv";
    /** Optional WhatsOnChain API key (a secret, never logged). */
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(10);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public long getSatsPerCredit() {
        return satsPerCredit;
    }

    public void setSatsPerCredit(long satsPerCredit) {
        if (satsPerCredit < 1) {
            throw new IllegalArgumentException("raregen.deposits.sats-per-credit must be at least 1");
        }
        this.satsPerCredit = satsPerCredit;
    }

    public int getConfirmations() {
        return confirmations;
    }

    public void setConfirmations(int confirmations) {
        if (confirmations < 1) {
            throw new IllegalArgumentException("raregen.deposits.confirmations must be at least 1");
        }
        this.confirmations = confirmations;
    }

    public String getChainUrl() {
        return chainUrl;
    }

    public void setChainUrl(String chainUrl) {
        this.chainUrl = chainUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
