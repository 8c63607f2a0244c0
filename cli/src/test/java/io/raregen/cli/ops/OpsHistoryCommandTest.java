package io.raregen.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.cli.support.InProcessCli;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code raregen ops history} on a real database migrated to V49 and later. */
class OpsHistoryCommandTest {

    @TempDir
    Path home;
    private TestDatabase db;
    private InProcessCli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        cli = new InProcessCli(home, "http://127.0.0.1:9").env("RAREGEN_DB_URL", db.jdbcUrl());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void history_listsTheOldTable_theDaysAhead_theDefaultPartition_andWhereAnArchivedDayWent() throws Exception {
        String archivedDay;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // a set today: it is in the table from before V49
            s.execute("INSERT INTO publish_job_transition_sets (id, to_status, job_ids) "
                    + "VALUES (nextval('publish_job_transition_sets_id_seq'), 'queued', ARRAY['01A'])");
            s.execute("ANALYZE publish_job_transition_sets");
            // the first day partition ahead, archived as the broadcaster would (it is empty: 0 rows exported)
            try (ResultSet rs = s.executeQuery("SELECT partition_name FROM history_partitions WHERE from_at IS NOT NULL "
                    + "ORDER BY from_at LIMIT 1")) {
                rs.next();
                archivedDay = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT archive_history_partition('" + archivedDay + "', now() + interval '40 days', "
                    + "'publish_job_transition_sets/x.jsonl.gz', 0, '" + "a".repeat(64) + "')")) {
                rs.next();
                assertTrue(rs.getBoolean(1));
            }
        }

        InProcessCli.Result table = cli.run("ops", "history");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("History partitions"), table.out());
        assertTrue(table.out().contains("publish_job_transition_sets_before_v49"), table.out());
        assertTrue(table.out().contains("publish_job_transition_sets_default"), table.out());

        InProcessCli.Result json = cli.run("ops", "history", "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode rows = new ObjectMapper().readTree(json.out());
        List<String> states = new ArrayList<>();
        for (JsonNode r : rows) {
            states.add(r.get("partition").asText() + "=" + r.get("state").asText());
            if (r.get("partition").asText().equals("publish_job_transition_sets_before_v49")) {
                assertEquals("live", r.get("state").asText());
                assertEquals("beginning", r.get("from_utc").asText());
                assertEquals("1", r.get("rows").asText(), "one set, by the estimate ANALYZE left");
            }
            if (r.get("partition").asText().equals(archivedDay)) {
                assertEquals("archived", r.get("state").asText());
                assertEquals("publish_job_transition_sets/x.jsonl.gz", r.get("archive_key").asText());
                assertTrue(r.get("size").isNull(), "nothing left in Postgres");
            }
        }
        assertTrue(states.contains("publish_job_transition_sets_default=default"), "" + states);
        assertTrue(states.stream().filter(x -> x.endsWith("=ahead")).count() >= 5, "the days ahead: " + states);
        assertTrue(states.contains(archivedDay + "=archived"), "" + states);
    }
}
