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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

    /** The archive key of the rows of one UTC day of {@code parent}: {@code <table>/<yyyy>/<mm>/<dd>.jsonl.gz}. */
    public static String dayKey(String parent, Instant day) {
        return parent + "/" + DAY.format(day) + ".jsonl.gz";
    }

    /**
     * The key of a partition's manifest: {@code <table>/<yyyy>/<mm>/<dd>.manifest.json} for a day partition,
     * {@code <table>/before-<date>.manifest.json} for a table from before partitioning.
     */
    public static String manifestKey(HistoryPartitions.Partition p) {
        return p.from() == null
                ? p.parent() + "/before-" + DATE.format(p.to()) + ".manifest.json"
                : p.parent() + "/" + DAY.format(p.from()) + ".manifest.json";
    }

    /** One day's rows in the archive. */
    private record DayObject(String key, Instant from, Instant to, HistoryPartitions.Export export) {
    }

    /**
     * A partition goes to the archive one UTC day per object (a table from before partitioning holds many days: each
     * object stays small enough for one upload and the temporary file), each read back and compared, then the
     * manifest listing them, then the drop.
     */
    private boolean archiveOne(HistoryTable table, HistoryPartitions.Partition p, Instant now) throws Exception {
        try (AutoCloseable claim = partitions.claim(p)) {
            if (claim == null) {
                LOG.debug("{} is being archived by another broadcaster", p.name());
                return false;
            }
            List<DayObject> objects = new ArrayList<>();
            long rows = 0;
            Instant first = p.from() != null ? p.from() : partitions.oldest(table, p).map(RetentionLoop::startOfDay).orElse(p.to());
            for (Instant day = first; day.isBefore(p.to()); day = day.plus(Duration.ofDays(1))) {
                Instant end = day.plus(Duration.ofDays(1)).isAfter(p.to()) ? p.to() : day.plus(Duration.ofDays(1));
                Path file = Files.createTempFile("raregen-archive-", ".jsonl.gz");
                try {
                    HistoryPartitions.Export export = partitions.export(table, p, day, end, file);
                    if (export.rows() == 0 && p.from() == null) {
                        continue; // a day without rows in the table from before partitioning: no object
                    }
                    String key = dayKey(p.parent(), day);
                    archive.put(key, file);
                    String stored = storedSha256(key);
                    if (!export.sha256().equals(stored)) {
                        throw new IOException("the archive's copy of " + key + " differs from what was written (sha256 "
                                + stored + ", expected " + export.sha256() + "); " + p.name() + " is kept");
                    }
                    objects.add(new DayObject(key, day, end, export));
                    rows += export.rows();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
            Path manifest = Files.createTempFile("raregen-archive-", ".json");
            try {
                Files.writeString(manifest, manifest(table, p, rows, objects), StandardCharsets.UTF_8);
                String key = manifestKey(p);
                archive.put(key, manifest);
                HistoryPartitions.Export described = new HistoryPartitions.Export(manifest, rows, sha256(manifest));
                if (!described.sha256().equals(storedSha256(key))) {
                    throw new IOException("the archive's copy of " + key + " differs from what was written; " + p.name() + " is kept");
                }
                if (!partitions.drop(p, now, key, described, lockTimeout)) {
                    LOG.warn("{} changed while it was exported; it is kept and exported again next round", p.name());
                    return false;
                }
                archivedPartitions.increment();
                archivedRows.increment(rows);
                LOG.info("archived {} ({} rows in {} object(s)) to {} {}, and dropped it", p.name(), rows, objects.size(),
                        archive.location(), key);
                return true;
            } finally {
                Files.deleteIfExists(manifest);
            }
        }
    }

    private static Instant startOfDay(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    private String storedSha256(String key) throws IOException {
        Optional<InputStream> in = archive.open(key);
        if (in.isEmpty()) {
            return "missing";
        }
        try (InputStream s = in.get()) {
            return digest(s);
        }
    }

    private static String digest(InputStream s) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = s.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String manifest(HistoryTable table, HistoryPartitions.Partition p, long rows, List<DayObject> objects) {
        StringBuilder b = new StringBuilder();
        b.append("{\"format\":\"").append(FORMAT).append("\",\"table\":\"").append(table.tableName())
                .append("\",\"partition\":\"").append(p.name()).append("\",\"from\":")
                .append(p.from() == null ? "null" : "\"" + p.from() + "\"").append(",\"to\":\"").append(p.to())
                .append("\",\"rows\":").append(rows).append(",\"objects\":[");
        for (int i = 0; i < objects.size(); i++) {
            DayObject o = objects.get(i);
            b.append(i == 0 ? "" : ",").append("{\"object\":\"").append(o.key()).append("\",\"from\":\"").append(o.from())
                    .append("\",\"to\":\"").append(o.to()).append("\",\"rows\":").append(o.export().rows())
                    .append(",\"sha256\":\"").append(o.export().sha256()).append("\"}");
        }
        return b.append("]}\n").toString();
    }
}
