package io.raregen.broadcaster.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.loops.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the history's day partitions ahead of time and, when {@code raregen.retention.after} is set, moves each
 * finished one to the archive: export (gzip JSON Lines), store, read back and compare, write its manifest, then drop
 * the partition if it still holds exactly the rows exported. A crash anywhere leaves the partition in place, and the
 * next round exports it again to the same key.
 */
public final class RetentionLoop implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionLoop.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    /** The archive's format name, in every manifest: docs/OPERATIONS.md describes it. */
    public static final String FORMAT = "raregen-history/1";

    private final HistoryPartitions partitions;
    private final Archive archive;
    private final RetentionSettings settings;
    private final Clock clock;
    private final Duration lockTimeout;
    private final Counter archivedPartitions;
    private final Counter archivedRows;
    private final AtomicLong strayRows = new AtomicLong();

    /** {@code archive} may be null only when the settings archive nothing. */
    public RetentionLoop(HistoryPartitions partitions, Archive archive, RetentionSettings settings, Clock clock,
                         Duration lockTimeout, MeterRegistry registry) {
        settings.validate();
        if (settings.archiving() && archive == null) {
            throw new IllegalArgumentException("raregen.retention.after is set but there is no archive");
        }
        this.partitions = partitions;
        this.archive = archive;
        this.settings = settings;
        this.clock = clock;
        this.lockTimeout = lockTimeout;
        this.archivedPartitions = registry.counter("raregen.retention.partitions.archived");
        this.archivedRows = registry.counter("raregen.retention.rows.archived");
        registry.gauge("raregen.retention.default.rows", strayRows);
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public Duration interval() {
        return settings.getInterval();
    }

    @Override
    public Duration initialDelay() {
        // soon after start: a broadcaster that was down may find days without a partition
        return Duration.ofSeconds(10);
    }

    @Override
    public Duration heartbeatInterval() {
        // exporting the partition of everything before V49 can take a long round
        Duration floor = Duration.ofHours(2);
        return settings.getInterval().compareTo(floor) > 0 ? settings.getInterval() : floor;
    }

    @Override
    public int runOnce() throws Exception {
        Instant now = clock.instant();
        int done = 0;
        long stray = 0;
        for (HistoryTable table : HistoryTable.values()) {
            int made = partitions.ensure(table, now, settings.getPartitionsAhead());
            if (made > 0) {
                LOG.info("created {} day partition(s) of {}", made, table.tableName());
            }
            done += made;
            long caught = partitions.inDefault(table);
            if (caught > 0) {
                LOG.error("{} row(s) of {} are in its default partition: no day partition covered them when they were "
                        + "written; the next round moves them once their day's partition is created", caught, table.tableName());
            }
            stray += caught;
            if (settings.archiving()) {
                for (HistoryPartitions.Partition p : partitions.finished(table, now.minus(settings.getAfter()))) {
                    if (Thread.currentThread().isInterrupted()) {
                        return done;
                    }
                    done += archiveOne(table, p, now) ? 1 : 0;
                }
            }
        }
        strayRows.set(stray);
        return done;
    }

    /** The archive key of a partition's rows: {@code <table>/<yyyy>/<mm>/<dd>.jsonl.gz}, or {@code <table>/before-<date>.jsonl.gz}. */
    public static String key(HistoryPartitions.Partition p) {
        return p.from() == null
                ? p.parent() + "/before-" + DATE.format(p.to()) + ".jsonl.gz"
                : p.parent() + "/" + DAY.format(p.from()) + ".jsonl.gz";
    }

    /** The key of the manifest that describes the rows' object. */
    public static String manifestKey(String key) {
        return key.substring(0, key.length() - ".jsonl.gz".length()) + ".manifest.json";
    }

    private boolean archiveOne(HistoryTable table, HistoryPartitions.Partition p, Instant now) throws Exception {
        try (AutoCloseable claim = partitions.claim(p)) {
            if (claim == null) {
                LOG.debug("{} is being archived by another broadcaster", p.name());
                return false;
            }
            Path file = Files.createTempFile("raregen-archive-", ".jsonl.gz");
            Path manifest = Files.createTempFile("raregen-archive-", ".json");
            try {
                HistoryPartitions.Export export = partitions.export(table, p, file);
                String key = key(p);
                archive.put(key, file);
                String stored = storedSha256(key);
                if (!export.sha256().equals(stored)) {
                    throw new IOException("the archive's copy of " + key + " differs from what was written (sha256 "
                            + stored + ", expected " + export.sha256() + "); " + p.name() + " is kept");
                }
                Files.writeString(manifest, manifest(table, p, export), StandardCharsets.UTF_8);
                archive.put(manifestKey(key), manifest);
                if (!partitions.drop(p, now, key, export, lockTimeout)) {
                    LOG.warn("{} changed while it was exported; it is kept and exported again next round", p.name());
                    return false;
                }
                archivedPartitions.increment();
                archivedRows.increment(export.rows());
                LOG.info("archived {} ({} rows, {} bytes) to {} {}, and dropped it", p.name(), export.rows(), Files.size(file),
                        archive.location(), key);
                return true;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(manifest);
            }
        }
    }

    private String storedSha256(String key) throws IOException {
        Optional<InputStream> in = archive.open(key);
        if (in.isEmpty()) {
            return "missing";
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream s = in.get()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = s.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String manifest(HistoryTable table, HistoryPartitions.Partition p, HistoryPartitions.Export e) {
        return "{\"format\":\"" + FORMAT + "\",\"table\":\"" + table.tableName() + "\",\"partition\":\"" + p.name()
                + "\",\"from\":" + (p.from() == null ? "null" : "\"" + p.from() + "\"") + ",\"to\":\"" + p.to()
                + "\",\"rows\":" + e.rows() + ",\"sha256\":\"" + e.sha256() + "\",\"object\":\"" + key(p) + "\"}\n";
    }
}
