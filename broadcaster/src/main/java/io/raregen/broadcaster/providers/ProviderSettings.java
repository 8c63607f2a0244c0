package io.raregen.broadcaster.providers;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import io.raregen.broadcaster.broadcast.ArcSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One ARC endpoint the broadcaster may send through ({@code raregen.arc.providers.<name>.*}). Settings
 * not given here (wait-for, callbacks, body format, request size) are the common {@code raregen.arc.*}
 * ones. With no provider configured the broadcaster has one, named {@code arc}, at {@code raregen.arc.url}.
 * The token is a secret: never logged.
 */
@EachProperty("raregen.arc.providers")
public class ProviderSettings {
    private final String name;
    private String url;
    private String token;
    /** Lower goes first (primary-with-failover); equal priorities are ordered by name. */
    private int priority = 100;
    /** X-MaxTimeout for this provider in seconds; unset = {@code raregen.arc.max-timeout-seconds}. */
    private Integer maxTimeoutSeconds;
    /** This provider's own rate budget: transactions per {@link #ratePeriod}; 0 = no budget of its own. */
    private int rateCapacity;
    private Duration ratePeriod = Duration.ofSeconds(1);
    /** The breaker opens when this percentage of the last {@link #breakerWindow} calls failed (transport error, 5xx, 401/403). */
    private float breakerFailureRate = 50;
    /** Calls the breaker looks back over. */
    private int breakerWindow = 10;
    /** Calls needed before the failure rate counts. */
    private int breakerMinimumCalls = 4;
    /** How long an open breaker keeps the provider out before one trial (half-open). */
    private Duration breakerOpenFor = Duration.ofSeconds(30);
    /** Trial calls in half-open; all must succeed to close the breaker again. */
    private int breakerTrialCalls = 1;

    public ProviderSettings(@Parameter String name) {
        this.name = name;
    }

    public String getName() { return name; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public int getPriority() { return priority; }
    public void setPriority(int priority) { this.priority = priority; }
    public Integer getMaxTimeoutSeconds() { return maxTimeoutSeconds; }
    public void setMaxTimeoutSeconds(Integer maxTimeoutSeconds) { this.maxTimeoutSeconds = maxTimeoutSeconds; }
    public int getRateCapacity() { return rateCapacity; }
    public void setRateCapacity(int rateCapacity) { this.rateCapacity = rateCapacity; }
    public Duration getRatePeriod() { return ratePeriod; }
    public void setRatePeriod(Duration ratePeriod) { this.ratePeriod = ratePeriod; }
    public float getBreakerFailureRate() { return breakerFailureRate; }
    public void setBreakerFailureRate(float breakerFailureRate) { this.breakerFailureRate = breakerFailureRate; }
    public int getBreakerWindow() { return breakerWindow; }
    public void setBreakerWindow(int breakerWindow) { this.breakerWindow = breakerWindow; }
    public int getBreakerMinimumCalls() { return breakerMinimumCalls; }
    public void setBreakerMinimumCalls(int breakerMinimumCalls) { this.breakerMinimumCalls = breakerMinimumCalls; }
    public Duration getBreakerOpenFor() { return breakerOpenFor; }
    public void setBreakerOpenFor(Duration breakerOpenFor) { this.breakerOpenFor = breakerOpenFor; }
    public int getBreakerTrialCalls() { return breakerTrialCalls; }
    public void setBreakerTrialCalls(int breakerTrialCalls) { this.breakerTrialCalls = breakerTrialCalls; }

    /**
     * The providers in failover order: the configured ones by priority then name, or, when none is
     * configured, one named {@code arc} at {@code raregen.arc.url} with {@code raregen.arc.token}.
     */
    public static List<ProviderSettings> effective(ArcSettings arc, Collection<ProviderSettings> configured) {
        List<ProviderSettings> out = new ArrayList<>();
        for (ProviderSettings p : configured) {
            if (p.getUrl() == null || p.getUrl().isBlank()) {
                throw new IllegalStateException("raregen.arc.providers." + p.getName() + ".url is required");
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            out.add(of("arc", arc.getUrl(), arc.getToken()));
        }
        out.sort(Comparator.comparingInt(ProviderSettings::getPriority).thenComparing(ProviderSettings::getName));
        return out;
    }

    /** The common ARC settings with this provider's url, token and timeout. */
    public ArcSettings arc(ArcSettings common) {
        return common.forEndpoint(url, token, maxTimeoutSeconds);
    }

    /** A provider with every default, at {@code url} (tests, and the single-provider default). */
    public static ProviderSettings of(String name, String url, String token) {
        ProviderSettings s = new ProviderSettings(name);
        s.setUrl(url);
        s.setToken(token);
        return s;
    }

    @Override
    public String toString() {
        return "ProviderSettings[" + name + ", url=" + url + ", priority=" + priority + ", token="
                + (token == null || token.isBlank() ? "unset" : "***") + "]";
    }
}
