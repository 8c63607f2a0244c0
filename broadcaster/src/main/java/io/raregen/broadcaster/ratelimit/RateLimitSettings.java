package io.raregen.broadcaster.ratelimit;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The broadcast token bucket ({@code raregen.ratelimit.*}): {@link PostgresRateLimiter} shared by every instance, or
 * {@link LocalRateLimiter} per process; 500 tx per 3 s (docs/ARCHITECTURE.md#the-rate-limit).
 */
@ConfigurationProperties("raregen.ratelimit")
public class RateLimitSettings {
    /** Off: broadcasts are not rate limited at all. */
    private boolean enabled = true;
    /** Tokens (transactions) the bucket refills per {@link #period}. */
    private long capacity = 500;
    private Duration period = Duration.ofSeconds(3);
    /** shared: one bucket row in Postgres for every instance; local: per process. */
    private boolean shared = true;
    /** The shared bucket's row in {@code rate_limit_buckets}. */
    private String bucketName = "arc-broadcast";
    /**
     * How late after its tokens were taken a request may reach ARC and still be within the limit: the bucket refills
     * at capacity per period but holds at most capacity - rate × arrival-spread, so that ARC, counting arrivals, sees
     * no window w with more than capacity + rate × w however the requests' delays differ (docs/OPERATIONS.md#the-broadcast-rate-limit).
     * Must be shorter than the period.
     */
    private Duration arrivalSpread = Duration.ofSeconds(1);

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public long getCapacity() { return capacity; }
    public void setCapacity(long capacity) { this.capacity = capacity; }
    public Duration getPeriod() { return period; }
    public void setPeriod(Duration period) { this.period = period; }
    public boolean isShared() { return shared; }
    public void setShared(boolean shared) { this.shared = shared; }
    public String getBucketName() { return bucketName; }
    public void setBucketName(String bucketName) { this.bucketName = bucketName; }
    public Duration getArrivalSpread() { return arrivalSpread; }
    public void setArrivalSpread(Duration arrivalSpread) { this.arrivalSpread = arrivalSpread; }
}
