package io.raregen.functions.events;

import io.raregen.core.events.EventId;
import io.raregen.core.events.JobEvent;
import io.raregen.core.events.JobEventLog;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.JobId;
import io.raregen.core.types.PublicKey;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job event log (V30, core JobEventLog) against a real Postgres: order, filtering, and the horizon. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobEventLogTest {

    private static final PublicKey ALICE = KeyPair.fromPrivateKeyHex("0a".repeat(32)).publicKey();
    private static final PublicKey BOB = KeyPair.fromPrivateKeyHex("0b".repeat(32)).publicKey();

    private TestDatabase db;
    private Connection reader;

    @BeforeAll
    void setUp() throws SQLException {
        db = TestDatabase.create();
        reader = db.connect();
        try (Connection c = db.connect()) {
            for (PublicKey k : List.of(ALICE, BOB)) {
                exec(c, "INSERT INTO identities (pubkey) VALUES (?)", k.hex());
            }
        }
    }

    @AfterAll
    void tearDown() throws SQLException {
        reader.close();
        db.close();
    }

    @Test
    void eventsComeInOrderPerJobAndOnlyForTheStatusesClientsAreToldAbout() throws SQLException {
        EventId start = JobEventLog.head(reader);
        String a;
        String b;
        try (Connection c = db.connect()) {
            a = sentJob(c, ALICE);
            b = sentJob(c, BOB);
            exec(c, "UPDATE publish_jobs SET status = 'mined', block_hash = ?, block_height = 1, mined_at = now() WHERE job_id = ?",
                    "ab".repeat(32), a);
            exec(c, "BEGIN");
            exec(c, "SELECT set_config('raregen.transition_reason', 'block left the chain', true)");
            exec(c, "UPDATE publish_jobs SET status = 'sent', block_hash = NULL, block_height = NULL, merkle_path = NULL, "
                    + "mined_at = NULL WHERE job_id = ?", a);
            exec(c, "COMMIT");
        }
        List<JobEvent> all = readAtLeast(start, 4);
        assertEquals(List.of("job.sent", "job.sent", "job.mined", "job.reorged"), all.stream().map(JobEvent::type).toList());
        assertEquals(List.of(a, b, a, a), all.stream().map(e -> e.jobId().value()).toList());
        assertEquals("block left the chain", all.get(3).reason());
        assertNull(all.get(0).reason());

        List<JobEvent> alice = JobEventLog.read(reader, start, Optional.of(ALICE), 100);
        assertEquals(3, alice.size());
        assertTrue(alice.stream().allMatch(e -> e.publicKey().equals(ALICE)));

        // reading after an event resumes right after it
        List<JobEvent> rest = JobEventLog.read(reader, all.get(1).id(), Optional.empty(), 100);
        assertEquals(all.subList(2, 4), rest);
        assertEquals(all.get(3).id(), JobEventLog.head(reader));
        assertTrue(all.get(0).toJson().contains("\"type\":\"job.sent\""));
    }

    @Test
    void aTransactionStillRunningHoldsBackEverythingAfterItSoNoCursorSkipsItsEvent() throws SQLException {
        EventId start = JobEventLog.head(reader);
        try (Connection slow = db.connect(); Connection fast = db.connect()) {
            String slowJob = signedJob(slow, ALICE);
            String fastJob = signedJob(fast, BOB);
            slow.setAutoCommit(false);
            // the slow transaction takes its transaction id and a lower row id first ...
            exec(slow, "UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", slowJob);
            // ... and the fast one commits a higher row id before it
            exec(fast, "UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", fastJob);
            assertEquals(List.of(), JobEventLog.read(reader, start, Optional.empty(), 100),
                    "nothing after a running transaction is readable yet");
            slow.commit();
            List<JobEvent> both = readAtLeast(start, 2);
            assertEquals(List.of(slowJob, fastJob), both.stream().map(e -> e.jobId().value()).toList());
        }
    }

    @Test
    void aPageForOneKey_movesItsPositionPastOtherKeysEvents_andAFullPageStopsAtItsLastEvent() throws SQLException {
        EventId start = JobEventLog.head(reader);
        String alice;
        try (Connection c = db.connect()) {
            alice = sentJob(c, ALICE);
            for (int i = 0; i < 3; i++) {
                sentJob(c, BOB);
            }
        }
        List<JobEvent> all = readAtLeast(start, 4);
        EventId last = all.get(all.size() - 1).id();

        // Alice's reader gets her one event, and its position moves to the head: past Bob's three
        JobEventLog.Page page = JobEventLog.readPage(reader, start, Optional.of(ALICE), 10);
        assertEquals(List.of(alice), page.events().stream().map(e -> e.jobId().value()).toList());
        assertEquals(last, page.position());
        // so the next read from there finds nothing, without walking Bob's events again
        JobEventLog.Page next = JobEventLog.readPage(reader, page.position(), Optional.of(ALICE), 10);
        assertEquals(List.of(), next.events());
        assertEquals(last, next.position());

        // a full page says only as far as its last event: what is after it is still to be read
        JobEventLog.Page full = JobEventLog.readPage(reader, start, Optional.empty(), 2);
        assertEquals(all.subList(0, 2), full.events());
        assertEquals(all.get(1).id(), full.position());
        JobEventLog.Page rest = JobEventLog.readPage(reader, full.position(), Optional.empty(), 10);
        assertEquals(all.subList(2, 4), rest.events());

        // nothing new: the position stays where it was
        assertEquals(last, JobEventLog.readPage(reader, last, Optional.empty(), 10).position());
    }

    @Test
    void oneStatementsEventsShareAnAuditSet_eachHasItsOwnId_andAPageMayEndAndResumeInsideTheSet() throws SQLException {
        EventId start = JobEventLog.head(reader);
        List<String> ids = new java.util.ArrayList<>();
        try (Connection c = db.connect()) {
            for (PublicKey k : List.of(ALICE, BOB, ALICE, BOB, ALICE)) {
                ids.add(signedJob(c, k));
            }
            // one statement: five jobs signed -> sent, one audit set of five
            exec(c, "UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ANY(?::varchar[])",
                    "{" + String.join(",", ids) + "}");
        }
        List<String> inJobOrder = ids.stream().sorted().toList();
        List<JobEvent> all = readAtLeast(start, 5);
        assertEquals(inJobOrder, all.stream().map(e -> e.jobId().value()).toList());
        for (int i = 1; i < 5; i++) {
            assertEquals(all.get(0).id().xact(), all.get(i).id().xact());
            assertEquals(all.get(0).id().id() + i, all.get(i).id().id(), "consecutive ids inside one set");
        }
        assertEquals(all.get(4).id(), JobEventLog.head(reader), "the head is the set's last event");

        // pages of two: the first two, then the next two, then the last: never one twice or skipped
        JobEventLog.Page p1 = JobEventLog.readPage(reader, start, Optional.empty(), 2);
        JobEventLog.Page p2 = JobEventLog.readPage(reader, p1.position(), Optional.empty(), 2);
        JobEventLog.Page p3 = JobEventLog.readPage(reader, p2.position(), Optional.empty(), 2);
        assertEquals(all, java.util.stream.Stream.of(p1, p2, p3).flatMap(p -> p.events().stream()).toList());

        // one key's events out of the mixed set, also resumed from inside it
        List<JobEvent> alice = JobEventLog.read(reader, start, Optional.of(ALICE), 100);
        assertEquals(all.stream().filter(e -> e.publicKey().equals(ALICE)).toList(), alice);
        assertEquals(alice.subList(1, alice.size()), JobEventLog.read(reader, alice.get(0).id(), Optional.of(ALICE), 100));
    }

    @Test
    void idsFromTheFutureAreRecognised() throws SQLException {
        assertTrue(JobEventLog.isPast(reader, JobEventLog.head(reader)));
        assertFalse(JobEventLog.isPast(reader, new EventId(Long.MAX_VALUE / 2, 1)));
    }

    /**
     * The horizon is the oldest transaction running anywhere in the cluster, so a transaction of another
     * test on this server can hold events back for a while: wait for them rather than fail.
     */
    private List<JobEvent> readAtLeast(EventId after, int n) throws SQLException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<JobEvent> events = JobEventLog.read(reader, after, Optional.empty(), 100);
        while (events.size() < n && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            events = JobEventLog.read(reader, after, Optional.empty(), 100);
        }
        return events;
    }

    private static String signedJob(Connection c, PublicKey key) throws SQLException {
        String id = JobId.generate().value();
        exec(c, """
                INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)
                VALUES (?, ?, ?, '{}', 'sig', ?)""", id, key.hex(), id, "0".repeat(64));
        exec(c, "UPDATE publish_jobs SET status = 'processing' WHERE job_id = ?", id);
        exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = ?, signed_at = now() WHERE job_id = ?",
                String.format("%064x", id.hashCode() & 0xffffffffL), id);
        return id;
    }

    private static String sentJob(Connection c, PublicKey key) throws SQLException {
        String id = signedJob(c, key);
        exec(c, "UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", id);
        return id;
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
