package io.raregen.broadcaster.retention;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The history's partitions and their retention ({@code raregen.retention.*}). Partitions are always kept
 * {@code partitions-ahead} days ahead; finished ones are exported and dropped only when {@code after} is set, and then
 * exactly one of {@code archive-dir} and {@code archive-bucket} says where they go.
 */
@ConfigurationProperties("raregen.retention")
public class RetentionSettings {
    /** Days of partitions created ahead of today (a default partition catches anything beyond). */
    private int partitionsAhead = 7;
    /** A partition whose days all ended at least this long ago is archived and dropped; unset: kept forever. */
    private Duration after;
    /** How often the loop runs. */
    private Duration interval = Duration.ofHours(1);
    /** Archive into this local directory. */
    private String archiveDir;
    /** Archive into this S3 bucket (with the application's AWS client settings, {@code raregen.aws.*}). */
    private String archiveBucket;
    /** Key prefix inside the bucket (no leading or trailing slash). */
    private String archivePrefix = "raregen-archive";
    /** How long after its expiry a guarded nonce ({@code publish_nonces}) is deleted. */
    private Duration nonceGrace = Duration.ofMinutes(10);
    /** How often expired nonces are deleted. */
    private Duration nonceInterval = Duration.ofMinutes(1);

    public int getPartitionsAhead() { return partitionsAhead; }
    public void setPartitionsAhead(int partitionsAhead) { this.partitionsAhead = partitionsAhead; }
    public Duration getAfter() { return after; }
    public void setAfter(Duration after) { this.after = after; }
    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    public String getArchiveDir() { return archiveDir; }
    public void setArchiveDir(String archiveDir) { this.archiveDir = archiveDir; }
    public String getArchiveBucket() { return archiveBucket; }
    public void setArchiveBucket(String archiveBucket) { this.archiveBucket = archiveBucket; }
    public String getArchivePrefix() { return archivePrefix; }
    public void setArchivePrefix(String archivePrefix) { this.archivePrefix = archivePrefix; }
    public Duration getNonceGrace() { return nonceGrace; }
    public void setNonceGrace(Duration nonceGrace) { this.nonceGrace = nonceGrace; }
    public Duration getNonceInterval() { return nonceInterval; }
    public void setNonceInterval(Duration nonceInterval) { this.nonceInterval = nonceInterval; }

    /** True when finished partitions are archived and dropped. */
    public boolean archiving() {
        return after != null;
    }

    /** Refuses settings that cannot work, with the setting to fix in the message. */
    public void validate() {
        if (partitionsAhead < 1 || partitionsAhead > 366) {
            throw new IllegalArgumentException("raregen.retention.partitions-ahead must be 1..366, was " + partitionsAhead);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("raregen.retention.interval must be positive");
        }
        if (nonceGrace == null || nonceGrace.isNegative()) {
            throw new IllegalArgumentException("raregen.retention.nonce-grace must not be negative");
        }
        if (nonceInterval == null || nonceInterval.isNegative() || nonceInterval.isZero()) {
            throw new IllegalArgumentException("raregen.retention.nonce-interval must be positive");
        }
        boolean dir = archiveDir != null && !archiveDir.isBlank();
        boolean bucket = archiveBucket != null && !archiveBucket.isBlank();
        if (after != null) {
            if (after.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("raregen.retention.after must be at least 1 day (P1D), was " + after);
            }
            if (dir == bucket) {
                throw new IllegalArgumentException(
                        "raregen.retention.after is set: set exactly one of raregen.retention.archive-dir and raregen.retention.archive-bucket");
            }
        }
    }

    @Override
    public String toString() {
        return "RetentionSettings[partitionsAhead=" + partitionsAhead + ", after=" + after + ", interval=" + interval
                + ", archiveDir=" + archiveDir + ", archiveBucket=" + archiveBucket + ", archivePrefix=" + archivePrefix
                + ", nonceGrace=" + nonceGrace + ", nonceInterval=" + nonceInterval + "]";
    }
}
