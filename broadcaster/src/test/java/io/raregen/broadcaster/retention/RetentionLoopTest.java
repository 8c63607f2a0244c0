package io.raregen.broadcaster.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail's day partitions (V49) and their retention, on a real Postgres and a real directory. The loop runs
 * with a clock 40 days ahead, so that today's partitions are the finished ones.
 */
class RetentionLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "publish_job_transition_sets";

    @TempDir
    Path dir;
    private TestDatabase db;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final Instant later = now.plus(Duration.ofDays(40));

    @BeforeEach
    void database() {
        db = TestDatabase.create();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void finishedPartitions_areExported_readBack_andDropped_andTheRestStays() throws Exception {
        // the partition from before V49 (today), one of the days V49 created (in 5 days), one no partition covers
        // yet (in 35 days: the default partition catches it), and one the retention keeps
        long today = insertSet("queued", now.minus(Duration.ofMinutes(1)), List.of("01TODAY0000000000000000000"), null);
        long threeDaysAgo = insertSet("queued", now.minus(Duration.ofDays(3)), List.of("01OLDER0000000000000000000"), null);
        long inFive = insertSet("mined", now.plus(Duration.ofDays(5)), List.of("01FIVE00000000000000000000", "01FIVE00000000000000000001"),
                List.of("a".repeat(64), "b".repeat(64)));
        long inThirtyFive = insertSet("failed", now.plus(Duration.ofDays(35)), List.of("01LATE00000000000000000000"), null);
        assertEquals(1, count(TABLE + "_default"), "no day partition covers day 35 yet");

        RetentionSettings settings = settings(Duration.ofDays(30));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetentionLoop loop = new RetentionLoop(new HistoryPartitions(db.dataSource()), new DirectoryArchive(dir), settings,
                Clock.fixed(later, ZoneOffset.UTC), Duration.ofSeconds(5), registry);
        int done = loop.runOnce();

        // day 35 moved out of the default partition into its own
        assertEquals(0, count(TABLE + "_default"));
        assertEquals(List.of(inThirtyFive), ids(TABLE));
        // every partition that ended 30 days before the clock is gone, and listed as archived
        List<String> archived = archivedPartitions();
        assertTrue(archived.contains(TABLE + "_before_v49"), "" + archived);
        for (String name : archived) {
            assertNull(regclass(name), name + " dropped");
        }
        assertTrue(done > archived.size(), "partitions created and archived: " + done);
        assertEquals(archived.size(), registry.counter("raregen.retention.partitions.archived").count());
        assertTrue(registry.counter("raregen.retention.rows.archived").count() >= 2);

        // the partition from before V49 went one object per day that has rows, listed by before-<its end>.manifest.json
        Row beforeRow = registryRow(TABLE + "_before_v49");
        assertTrue(beforeRow.key.matches(TABLE + "/before-\\d{4}-\\d{2}-\\d{2}\\.manifest\\.json"), beforeRow.key);
        assertEquals(sha256(dir.resolve(beforeRow.key)), beforeRow.sha256, "the registry holds the manifest's SHA-256");
        JsonNode beforeManifest = JSON.readTree(dir.resolve(beforeRow.key).toFile());
        assertTrue(beforeManifest.get("from").isNull());
        List<String> beforeObjects = new ArrayList<>();
        beforeManifest.get("objects").forEach(o -> beforeObjects.add(o.get("object").asText()));
        String todayKey = dayKey(now.minus(Duration.ofMinutes(1)));
        String threeDaysAgoKey = dayKey(now.minus(Duration.ofDays(3)));
        assertEquals(List.of(threeDaysAgoKey, todayKey), beforeObjects, "the days with rows, oldest first, no empty day");
        assertTrue(rowsOf(todayKey).stream().anyMatch(r -> r.get("id").asLong() == today));
        assertEquals(List.of(threeDaysAgo), rowsOf(threeDaysAgoKey).stream().map(r -> r.get("id").asLong()).toList());
        assertEquals(beforeRow.rows, 2);
        // day 5's file holds its row, every column, timestamps in UTC
        String day = dayKey(now.plus(Duration.ofDays(5)));
        List<JsonNode> rows = rowsOf(day);
        assertEquals(1, rows.size());
        JsonNode r = rows.get(0);
        assertEquals(inFive, r.get("id").asLong());
        assertTrue(r.get("from_status").isNull());
        assertEquals("mined", r.get("to_status").asText());
        assertEquals("01FIVE00000000000000000001", r.get("job_ids").get(1).asText());
        assertEquals("b".repeat(64), r.get("txids").get(1).asText());
        assertEquals(now.plus(Duration.ofDays(5)), Instant.parse(r.get("at").asText().replace("+00:00", "Z")));
        assertTrue(r.get("at").asText().endsWith("+00:00"), r.get("at").asText());
        assertTrue(r.has("xact") && r.has("reason"));

        // its manifest describes the object's bytes, and the registry the manifest's
        String manifestKey = day.replace(".jsonl.gz", ".manifest.json");
        Row reg = registryRow(db.dataSource().getConnection(), manifestKey);
        assertEquals(1, reg.rows);
        assertEquals(sha256(dir.resolve(manifestKey)), reg.sha256);
        JsonNode manifest = JSON.readTree(dir.resolve(manifestKey).toFile());
        assertEquals(RetentionLoop.FORMAT, manifest.get("format").asText());
        assertEquals(TABLE, manifest.get("table").asText());
        assertEquals(1, manifest.get("rows").asLong());
        assertEquals(1, manifest.get("objects").size());
        JsonNode object = manifest.get("objects").get(0);
        assertEquals(day, object.get("object").asText());
        assertEquals(1, object.get("rows").asLong());
        assertEquals(sha256(dir.resolve(day)), object.get("sha256").asText());

        // nothing more to do with the same clock
        assertEquals(0, loop.runOnce());
    }

    @Test
    void anArchivedDay_loadsBackIntoPostgres_withTheCopyDocumentedForOperators() throws Exception {
        Instant at = now.plus(Duration.ofDays(4));
        String reason = "quote \" backslash \\ tab \t newline \n unicode \u00e9\u4e2d csv ,;\u0001";
        long id;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids, reason, at)
                VALUES (nextval('publish_job_transition_sets_id_seq'), 'signed', 'failed', ARRAY['01A', '01B'], NULL, ?, ?)
                RETURNING id""")) {
            ps.setString(1, reason);
            ps.setTimestamp(2, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        List<String> before = setsAsText("publish_job_transition_sets WHERE id = " + id);
        new RetentionLoop(new HistoryPartitions(db.dataSource()), new DirectoryArchive(dir), settings(Duration.ofDays(30)),
                Clock.fixed(later, ZoneOffset.UTC), Duration.ofSeconds(5), new SimpleMeterRegistry()).runOnce();
        assertEquals(0, count("publish_job_transition_sets WHERE id = " + id));

        String day = dayKey(at);
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE archived_raw (j jsonb)");
            }
            // docs/OPERATIONS.md, "Reading an archived day": the same COPY options
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(day)))) {
                c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                        "COPY archived_raw FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')", in);
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE archived_sets AS "
                        + "SELECT (jsonb_populate_record(NULL::publish_job_transition_sets, j)).* FROM archived_raw");
            }
        }
        assertEquals(before, setsAsText("archived_sets"));
        assertTrue(before.get(0).contains("newline"), before.get(0));
    }

    @Test
    void withoutRetention_partitionsAreStillCreatedAhead_andNothingIsDropped() throws Exception {
        RetentionSettings settings = settings(null);
        RetentionLoop loop = new RetentionLoop(new HistoryPartitions(db.dataSource()), null, settings,
                Clock.fixed(later, ZoneOffset.UTC), Duration.ofSeconds(5), new SimpleMeterRegistry());
        int made = loop.runOnce();
        assertTrue(made >= 35, "the days up to 2 after the clock: " + made);
        String last = TABLE + "_p" + later.plus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        assertNotNull(regclass(last), last);
        assertNotNull(regclass(TABLE + "_before_v49"));
        assertTrue(archivedPartitions().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aRowWrittenDuringTheExport_keepsThePartition_untilTheNextRoundTakesItWithTheRow() throws Exception {
        long first = insertSet("queued", now.plus(Duration.ofDays(3)), List.of("01THREE0000000000000000000"), null);
        String day = dayKey(now.plus(Duration.ofDays(3)));
        long[] late = new long[1];
        // an archive that, while the day's object is stored, sees a row arrive in that day (an operator's insert)
        Archive racing = new ForwardingArchive(new DirectoryArchive(dir)) {
            @Override
            public void put(String key, Path file) throws IOException {
                super.put(key, file);
                if (key.equals(day) && late[0] == 0) {
                    try {
                        late[0] = insertSet("queued", now.plus(Duration.ofDays(3)).plusSeconds(1), List.of("01THREE0000000000000000001"), null);
                    } catch (SQLException e) {
                        throw new IOException(e);
                    }
                }
            }
        };
        RetentionLoop loop = new RetentionLoop(new HistoryPartitions(db.dataSource()), racing, settings(Duration.ofDays(30)),
                Clock.fixed(later, ZoneOffset.UTC), Duration.ofSeconds(5), new SimpleMeterRegistry());
        loop.runOnce();
        String partition = TABLE + "_p" + now.plus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        assertNotNull(regclass(partition), "kept: it holds a row the export did not");
        assertFalse(archivedPartitions().contains(partition));

        loop.runOnce();
        assertNull(regclass(partition));
        List<Long> exported = new ArrayList<>();
        rowsOf(day).forEach(r -> exported.add(r.get("id").asLong()));
        assertEquals(List.of(first, late[0]), exported);
    }

    @Test
    void anArchiveThatStoresOtherBytes_keepsThePartition() throws Exception {
        insertSet("queued", now.minus(Duration.ofMinutes(1)), List.of("01TODAY0000000000000000000"), null);
        Archive corrupting = new ForwardingArchive(new DirectoryArchive(dir)) {
            @Override
            public void put(String key, Path file) throws IOException {
                Path bad = Files.createTempFile(dir, "bad", ".gz");
                Files.write(bad, Files.readAllBytes(file));
                Files.write(bad, new byte[]{1}, java.nio.file.StandardOpenOption.APPEND);
                super.put(key, bad);
                Files.delete(bad);
            }
        };
        RetentionLoop loop = new RetentionLoop(new HistoryPartitions(db.dataSource()), corrupting, settings(Duration.ofDays(30)),
                Clock.fixed(later, ZoneOffset.UTC), Duration.ofSeconds(5), new SimpleMeterRegistry());
        assertThrows(IOException.class, loop::runOnce);
        assertNotNull(regclass(TABLE + "_before_v49"));
        assertEquals(1, count(TABLE + "_before_v49"));
        assertTrue(archivedPartitions().isEmpty());
    }

    @Test
    void theDatabaseRefusesToDropAPartitionThatHasNotEnded() throws Exception {
        HistoryPartitions partitions = new HistoryPartitions(db.dataSource());
        HistoryPartitions.Partition current = partitions.finished(HistoryTable.TRANSITION_SETS, later).get(0);
        SQLException e = assertThrows(SQLException.class, () -> partitions.drop(current, now, "k",
                new HistoryPartitions.Export(dir.resolve("x"), 0, "0".repeat(64)), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("less than a day before"), e.getMessage());
        assertNotNull(regclass(current.name()));
    }

    @Test
    void settingsThatCannotWork_areRefused_withTheSettingToFix() {
        RetentionSettings s = settings(Duration.ofDays(30));
        s.setArchiveDir(null);
        assertTrue(assertThrows(IllegalArgumentException.class, s::validate).getMessage().contains("archive-dir"));
        s.setArchiveDir("/tmp/a");
        s.setArchiveBucket("b");
        assertTrue(assertThrows(IllegalArgumentException.class, s::validate).getMessage().contains("exactly one"));
        RetentionSettings shortAfter = settings(Duration.ofHours(1));
        assertTrue(assertThrows(IllegalArgumentException.class, shortAfter::validate).getMessage().contains("raregen.retention.after"));
        RetentionSettings ahead = settings(null);
        ahead.setPartitionsAhead(0);
        assertTrue(assertThrows(IllegalArgumentException.class, ahead::validate).getMessage().contains("partitions-ahead"));
    }

    /** The archive object of the audit trail's rows of {@code t}'s UTC day. */
    private static String dayKey(Instant t) {
        return TABLE + "/" + t.atOffset(ZoneOffset.UTC).toLocalDate().toString().replace('-', '/') + ".jsonl.gz";
    }

    private RetentionSettings settings(Duration after) {
        RetentionSettings s = new RetentionSettings();
        s.setPartitionsAhead(2);
        s.setAfter(after);
        if (after != null) {
            s.setArchiveDir(dir.toString());
        }
        return s;
    }

    private long insertSet(String to, Instant at, List<String> jobs, List<String> txids) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids, at)
                VALUES (nextval('publish_job_transition_sets_id_seq'), NULL, ?, ?, ?, ?) RETURNING id""")) {
            ps.setString(1, to);
            ps.setArray(2, c.createArrayOf("varchar", jobs.toArray()));
            ps.setArray(3, txids == null ? null : c.createArrayOf("bpchar", txids.toArray()));
            ps.setTimestamp(4, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every column of the rows, as Postgres prints them (so that a difference in any column shows). */
    private List<String> setsAsText(String from) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, from_status, to_status, job_ids, txids, reason, at, xact FROM " + from + " ORDER BY id")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 8; i++) {
                    b.append(rs.getString(i)).append('|');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private long count(String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Long> ids(String table) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private String regclass(String name) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::text")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private List<String> archivedPartitions() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT partition_name FROM history_partitions WHERE archived_at IS NOT NULL ORDER BY to_at")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private record Row(String key, long rows, String sha256) {
    }

    private Row registryRow(String partition) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT archive_key, archived_rows, archive_sha256 FROM history_partitions WHERE partition_name = ?")) {
            ps.setString(1, partition);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), partition);
                return new Row(rs.getString(1), rs.getLong(2), rs.getString(3));
            }
        }
    }

    private static Row registryRow(Connection c, String key) throws SQLException {
        try (c; PreparedStatement ps = c.prepareStatement(
                "SELECT archive_key, archived_rows, archive_sha256 FROM history_partitions WHERE archive_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), key);
                return new Row(rs.getString(1), rs.getLong(2), rs.getString(3));
            }
        }
    }

    private List<JsonNode> rowsOf(String key) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(dir.resolve(key))), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** An archive that passes everything to another; a test overrides what it changes. */
    private static class ForwardingArchive implements Archive {
        private final Archive inner;

        ForwardingArchive(Archive inner) {
            this.inner = inner;
        }

        @Override
        public void put(String key, Path file) throws IOException {
            inner.put(key, file);
        }

        @Override
        public Optional<InputStream> open(String key) throws IOException {
            return inner.open(key);
        }

        @Override
        public String location() {
            return inner.location();
        }
    }
}
