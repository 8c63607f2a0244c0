package io.raregen.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrates an empty database and proves the constraints that carry the invariants. */
class SchemaTest {

    private static final String PUBKEY = "02" + "ab".repeat(32);
    private static TestDatabase db;

    @BeforeAll
    static void migrateEmptyDatabase() {
        db = TestDatabase.createEmpty();
        MigrateResult result = db.flyway().migrate();
        assertTrue(result.migrationsExecuted >= 1, "migrations ran");
        db.flyway().validate();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void migrate_isIdempotent_secondRunExecutesNothing() {
        assertEquals(0, db.flyway().migrate().migrationsExecuted);
    }

    @Test
    void migrate_onADatabaseMigratedBeforeTheCommentRewrite_acceptsTheOldChecksumsOfV1V20V21_only() throws SQLException {
        try (TestDatabase older = TestDatabase.create(); Connection c = older.connect(); Statement s = c.createStatement()) {
            // GIVEN a database whose history holds the checksums the files had before their comments were rewritten
            s.executeUpdate("UPDATE flyway_schema_history SET checksum = CASE version WHEN '1' THEN 660137438 "
                    + "WHEN '20' THEN -1015688854 ELSE -1293429558 END WHERE version IN ('1', '20', '21')");

            // WHEN the migrations run again THEN validation passes and the rows carry today's checksums
            assertEquals(0, older.flyway().migrate().migrationsExecuted);
            older.flyway().validate();
            try (ResultSet rs = s.executeQuery("SELECT version, checksum FROM flyway_schema_history "
                    + "WHERE version IN ('1', '20', '21') ORDER BY installed_rank")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + "=" + rs.getInt(2));
                }
                assertEquals(List.of("1=-1913368592", "20=1486169325", "21=-1086824190"), rows);
            }

            // AND any other checksum is still a validation failure
            s.executeUpdate("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '1'");
            assertThrows(org.flywaydb.core.api.FlywayException.class, () -> older.flyway().migrate());
        }
    }

    /**
     * V59: no key over the whole history of publish_jobs on a client's nonce or a transaction id (each took a random-keyed
     * entry in every version of a job row): a nonce is guarded in publish_nonces while its envelope can be accepted,
     * a txid is unique among the jobs in flight; publish_batches no longer has its unread txids column.
     */
    @Test
    void v59_publishJobsKeepsNoKeyOverTheHistorysNoncesOrTxids() throws SQLException {
        try (Connection c = db.connect()) {
            // GIVEN a job of an identity (whose nonce's guard has expired and been deleted, as retention does)
            insertIdentity(c, PUBKEY);
            String old = newId();
            String again = newId();
            insertJob(c, old, PUBKEY, "reused-" + old);

            // WHEN a second job with the same nonce is inserted
            insertJob(c, again, PUBKEY, "reused-" + old);

            // THEN the table takes it (only the guard refuses a nonce, and only while it can be replayed)
            assertEquals("2", scalar(c, "SELECT count(*) FROM publish_jobs WHERE pubkey = '" + PUBKEY + "' AND nonce = 'reused-"
                    + old + "'"));
            // AND no index of publish_jobs is keyed by the nonce, and every one keyed by txid holds jobs in flight only
            List<String> defs = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'publish_jobs'")) {
                while (rs.next()) {
                    defs.add(rs.getString(1));
                }
            }
            assertFalse(defs.isEmpty());
            for (String def : defs) {
                assertFalse(def.contains("nonce"), def);
                if (def.contains("(txid)")) {
                    assertTrue(def.contains("WHERE ((status)::text = ANY"), def);
                }
            }
            assertEquals("0", scalar(c, "SELECT count(*) FROM information_schema.columns "
                    + "WHERE table_name = 'publish_batches' AND column_name = 'txids'"));
        }
    }

    @Test
    void guardedNonce_takenTwiceForOneIdentity_isRejected_andFreeForAnother() throws SQLException {
        try (Connection c = db.connect()) {
            String guard = "INSERT INTO publish_nonces (nonce_key, job_id, expires_at) VALUES (nonce_key('%s', 'guarded'), '%s', now())";
            exec(c, guard.formatted(PUBKEY, newId()));
            SQLException e = assertThrows(SQLException.class, () -> exec(c, guard.formatted(PUBKEY, newId())));
            assertEquals("23505", e.getSQLState());
            assertTrue(e.getMessage().contains("publish_nonces_pkey"), e.getMessage());
            exec(c, guard.formatted("03" + "ef".repeat(32), newId()));
        }
    }

    @Test
    void v57_guardsTheNoncesOfTheLastHoursJobs_untilAnHourAfterTheirAcceptance() throws SQLException {
        try (TestDatabase older = TestDatabase.createEmpty(); Connection c = older.connect()) {
            // GIVEN a database at V56 with a job accepted a minute ago and one two hours ago
            Flyway.configure().dataSource(older.dataSource()).locations("classpath:db/migration").target("56").load().migrate();
            insertIdentity(c, PUBKEY);
            String recent = newId();
            String old = newId();
            insertJob(c, recent, PUBKEY, "n-recent");
            insertJob(c, old, PUBKEY, "n-old");
            exec(c, "UPDATE publish_jobs SET created_at = now() - interval '1 minute' WHERE job_id = '" + recent + "'");
            exec(c, "UPDATE publish_jobs SET created_at = now() - interval '2 hours' WHERE job_id = '" + old + "'");

            // WHEN V57 runs
            older.flyway().migrate();

            // THEN only the recent job's nonce is guarded, for an hour after the job was accepted
            assertEquals(List.of(recent + " true true"), column(c, "SELECT n.job_id || ' ' "
                    + "|| (n.nonce_key = nonce_key(j.pubkey, j.nonce)) || ' ' || (n.expires_at = j.created_at + interval '1 hour') "
                    + "FROM publish_nonces n JOIN publish_jobs j USING (job_id)"));
        }
    }

    @Test
    void insertJob_withSameNonceForAnotherIdentity_isAccepted() throws SQLException {
        try (Connection c = db.connect()) {
            String other = "03" + "cd".repeat(32);
            insertIdentity(c, other);
            insertIdentity(c, PUBKEY);
            insertJob(c, newId(), PUBKEY, "shared-nonce");
            insertJob(c, newId(), other, "shared-nonce");
        }
    }

    @Test
    void spends_secondStoredTransactionSpendingOneOutpoint_isRejected() throws SQLException {
        String outpointTxid = hex64('1');
        try (Connection c = db.connect()) {
            exec(c, "INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES ('"
                    + outpointTxid + "', 0, '" + hex64('a') + "', 100)");
            SQLException e = assertThrows(SQLException.class, () -> exec(c,
                    "INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES ('"
                            + outpointTxid + "', 0, '" + hex64('b') + "', 100)"));
            assertEquals("23505", e.getSQLState());
            // another output of the same transaction is a different outpoint
            exec(c, "INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES ('"
                    + outpointTxid + "', 1, '" + hex64('b') + "', 100)");
        }
    }

    @Test
    void utxos_duplicateOutpoint_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            String txid = hex64('2');
            insertUtxo(c, txid, 0, 100);
            SQLException e = assertThrows(SQLException.class, () -> insertUtxo(c, txid, 0, 100));
            assertEquals("23505", e.getSQLState());
        }
    }

    /**
     * V56: the pool's only random-keyed index is its outpoint, the primary key (named utxos_outpoint_unique, as its unique
     * constraint was); the id has no index and no index holds every live row (each cost two entries per record).
     */
    @Test
    void utxos_areKeyedByOutpoint_withoutAnIdOrLiveIndex() throws SQLException {
        try (Connection c = db.connect()) {
            assertEquals("utxos_outpoint_unique PRIMARY KEY (txid, vout)", scalar(c, """
                    SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                     WHERE conrelid = 'utxos'::regclass AND contype = 'p'"""));
            assertEquals("0", scalar(c, """
                    SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                     WHERE i.indrelid = 'utxos'::regclass AND a.attname = 'id'"""));
            assertEquals("t", scalar(c, "SELECT to_regclass('idx_utxos_live') IS NULL"));
            assertEquals("t", scalar(c, "SELECT to_regclass('utxos_pkey') IS NULL"));
        }
    }

    @Test
    void utxos_negativeSatoshis_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            SQLException e = assertThrows(SQLException.class, () -> insertUtxo(c, hex64('3'), 0, -1));
            assertEquals("23514", e.getSQLState());
        }
    }

    @Test
    void utxos_unknownStatus_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertUtxo(c, hex64('4'), 0, 100);
            SQLException e = assertThrows(SQLException.class,
                    () -> exec(c, "UPDATE utxos SET status = 'lost' WHERE txid = '" + hex64('4') + "'"));
            assertEquals("23514", e.getSQLState());
        }
    }

    @Test
    void utxos_spentWithoutSpendingTxid_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertUtxo(c, hex64('5'), 0, 100);
            assertThrows(SQLException.class,
                    () -> exec(c, "UPDATE utxos SET status = 'spent' WHERE txid = '" + hex64('5') + "'"));
        }
    }

    @Test
    void jobs_unknownStatus_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            assertThrows(SQLException.class, () -> setStatus(c, id, "done"));
        }
    }

    @Test
    void jobs_forwardPath_isAccepted_andEveryTransitionIsRecorded() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('9')
                    + "' WHERE job_id = '" + id + "'");
            setStatus(c, id, "sent");
            setStatus(c, id, "mined");
            assertEquals(List.of("null>queued", "queued>processing", "processing>signed", "signed>sent", "sent>mined"),
                    transitions(c, id));
        }
    }

    @Test
    void jobs_aWholeBatchInOneStatement_recordsOneTransitionPerJob_andNoneForUnchangedStatus() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            List<String> ids = List.of(newId(), newId(), newId());
            for (String id : ids) {
                insertJob(c, id, PUBKEY, "n-" + id);
            }
            String in = "('" + String.join("','", ids) + "')";
            exec(c, "UPDATE publish_jobs SET status = 'processing' WHERE job_id IN " + in);
            exec(c, "UPDATE publish_jobs SET attempts = attempts + 1 WHERE job_id IN " + in);
            for (String id : ids) {
                assertEquals(List.of("null>queued", "queued>processing"), transitions(c, id));
            }
        }
    }

    @Test
    void transitions_aStatementWritesOneSetPerStatusPair_andTheViewGivesEachJobItsOwnRowAndId() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            List<String> ids = List.of(newId(), newId(), newId()).stream().sorted().toList();
            exec(c, "INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash) VALUES "
                    + String.join(", ", ids.stream().map(id -> "('" + id + "', '" + PUBKEY + "', 'n-" + id + "', '{}', "
                    + "'sig', '" + hex64('0') + "')").toList()));
            String in = "('" + String.join("','", ids) + "')";
            exec(c, "UPDATE publish_jobs SET status = 'processing' WHERE job_id IN " + in);
            // one statement, two status pairs: two jobs signed, one failed
            exec(c, "UPDATE publish_jobs SET status = CASE WHEN job_id = '" + ids.get(1) + "' THEN 'failed' ELSE 'signed' END, "
                    + "error_code = CASE WHEN job_id = '" + ids.get(1) + "' THEN 'X' END, "
                    + "raw_tx = CASE WHEN job_id <> '" + ids.get(1) + "' THEN '\\x0100'::bytea END, "
                    + "txid = CASE WHEN job_id <> '" + ids.get(1) + "' THEN md5(job_id) || md5(job_id || 'x') END "
                    + "WHERE job_id IN " + in);

            // one set row per statement and status pair, not one row per job
            String ofTheseJobs = " FROM publish_job_transition_sets WHERE job_ids && ARRAY['" + String.join("','", ids) + "']::varchar[]";
            assertEquals("4", scalar(c, "SELECT count(*)" + ofTheseJobs));
            assertEquals(ids.get(0) + "," + ids.get(2), scalar(c, "SELECT array_to_string(job_ids, ',')" + ofTheseJobs
                    + " AND to_status = 'signed'"));
            assertEquals(null, scalar(c, "SELECT txids" + ofTheseJobs + " AND to_status = 'processing'"),
                    "no txid in the set: no array stored");

            // the view: one row per job and transition, ids unique and in the order written, the txid with its job
            for (String id : ids) {
                List<String> expected = id.equals(ids.get(1))
                        ? List.of("null>queued", "queued>processing", "processing>failed")
                        : List.of("null>queued", "queued>processing", "processing>signed");
                assertEquals(expected, transitions(c, id));
                assertEquals(id.equals(ids.get(1)) ? null : scalar(c, "SELECT md5('" + id + "') || md5('" + id + "' || 'x')"),
                        scalar(c, "SELECT txid FROM publish_job_transitions WHERE job_id = '" + id + "' AND to_status <> 'queued' "
                                + "AND to_status <> 'processing'"));
            }
            assertEquals("9", scalar(c, "SELECT count(DISTINCT id) FROM publish_job_transitions WHERE job_id IN " + in));
            String first = scalar(c, "SELECT id" + ofTheseJobs + " AND to_status = 'queued'");
            assertEquals(List.of(first, String.valueOf(Long.parseLong(first) + 1), String.valueOf(Long.parseLong(first) + 2)),
                    column(c, "SELECT id FROM publish_job_transitions WHERE job_id IN " + in + " AND to_status = 'queued' ORDER BY id"));
        }
    }

    @Test
    void transitions_writtenBeforeV40_keepTheirIds_andLaterSetsNumberAfterThem() throws SQLException {
        try (TestDatabase older = TestDatabase.createEmpty(); Connection c = older.connect()) {
            // GIVEN a database at V39 with audit rows, one with a txid and a reason
            Flyway.configure().dataSource(older.dataSource()).locations("classpath:db/migration").target("39").load().migrate();
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('c') + "' WHERE job_id = '" + id + "'");
            exec(c, "SELECT setval('publish_job_transitions_id_seq', 2500000)");
            exec(c, "BEGIN; SELECT set_config('raregen.transition_reason', 'why', true); "
                    + "UPDATE publish_jobs SET status = 'sent' WHERE job_id = '" + id + "'; COMMIT");
            List<String> before = column(c, "SELECT id || ' ' || coalesce(from_status, '-') || '>' || to_status || ' '"
                    + " || coalesce(txid, '-') || ' ' || coalesce(reason, '-') || ' ' || coalesce(xact::text, '-') || ' ' || at"
                    + " FROM publish_job_transitions ORDER BY id");

            // WHEN V40 runs THEN every row reads back the same, id included
            older.flyway().migrate();
            assertEquals(before, column(c, "SELECT id || ' ' || coalesce(from_status, '-') || '>' || to_status || ' '"
                    + " || coalesce(txid, '-') || ' ' || coalesce(reason, '-') || ' ' || coalesce(xact::text, '-') || ' ' || at"
                    + " FROM publish_job_transitions ORDER BY id"));
            assertEquals("2500001", scalar(c, "SELECT max(id) FROM publish_job_transitions"));

            // AND the next statement's set numbers after every old row
            setStatus(c, id, "mined");
            assertEquals("3000000", scalar(c, "SELECT id FROM publish_job_transitions WHERE to_status = 'mined'"));
        }
    }

    @Test
    void jobs_oneIllegalRowInABatchStatement_rejectsTheWholeStatement_andRecordsNothing() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String good = newId();
            String bad = newId();
            insertJob(c, good, PUBKEY, "n-" + good);
            insertJob(c, bad, PUBKEY, "n-" + bad);
            setStatus(c, bad, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + "d".repeat(63) + "e"
                    + "' WHERE job_id = '" + bad + "'");
            // queued -> processing is legal for one row, signed -> processing with the transaction kept is not
            SQLException e = assertThrows(SQLException.class, () -> exec(c,
                    "UPDATE publish_jobs SET status = 'processing' WHERE job_id IN ('" + good + "', '" + bad + "')"));
            assertTrue(e.getMessage().contains("illegal job transition signed -> processing for job " + bad), e.getMessage());
            assertEquals("queued", status(c, good), "the legal row of the statement was not changed either");
            assertEquals(List.of("null>queued"), transitions(c, good));
            assertEquals(List.of("null>queued", "queued>processing", "processing>signed"), transitions(c, bad));
        }
    }

    @Test
    void jobs_insertedInAnyStatusButQueued_areRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            SQLException e = assertThrows(SQLException.class, () -> exec(c,
                    "INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, status) VALUES ('"
                            + id + "', '" + PUBKEY + "', 'n', '{}', 'sig', '" + hex64('c') + "', 'processing')"));
            assertTrue(e.getMessage().contains("must start queued"), e.getMessage());
        }
    }

    @Test
    void jobs_backwardTransitions_areRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('8')
                    + "' WHERE job_id = '" + id + "'");
            // a job with a stored transaction may not go back to queued (it would be signed twice)
            SQLException e = assertThrows(SQLException.class, () -> setStatus(c, id, "queued"));
            assertTrue(e.getMessage().contains("illegal job transition"), e.getMessage());
            // nor back to processing while the transaction is kept
            assertThrows(SQLException.class, () -> setStatus(c, id, "processing"));
            setStatus(c, id, "sent");
            setStatus(c, id, "mined");
            assertThrows(SQLException.class, () -> exec(c,
                    "UPDATE publish_jobs SET status = 'failed', error_code = 'X' WHERE job_id = '" + id + "'"));
        }
    }

    @Test
    void jobs_reorg_minedBackToSent_needsTheBlockClearedAndAReason_andIsAudited() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('e')
                    + "' WHERE job_id = '" + id + "'");
            setStatus(c, id, "sent");
            exec(c, "UPDATE publish_jobs SET status = 'mined', block_hash = '" + hex64('5') + "', block_height = 3, "
                    + "merkle_path = '\\x00' WHERE job_id = '" + id + "'");
            // keeping the block data, or without a reason, the move is refused
            SQLException kept = assertThrows(SQLException.class, () -> exec(c,
                    "UPDATE publish_jobs SET status = 'sent' WHERE job_id = '" + id + "'"));
            assertTrue(kept.getMessage().contains("illegal job transition mined -> sent"), kept.getMessage());
            String clear = "UPDATE publish_jobs SET status = 'sent', block_hash = NULL, block_height = NULL, merkle_path = NULL "
                    + "WHERE job_id = '" + id + "'";
            assertThrows(SQLException.class, () -> exec(c, clear));
            c.setAutoCommit(false);
            exec(c, "SELECT set_config('raregen.transition_reason', 'reorg: block " + hex64('5') + " left the chain', true)");
            exec(c, clear);
            c.commit();
            c.setAutoCommit(true);
            assertEquals("sent", status(c, id));
            assertEquals("reorg: block " + hex64('5') + " left the chain", scalar(c,
                    "SELECT reason FROM publish_job_transitions WHERE job_id = '" + id + "' AND from_status = 'mined'"));
            // the reason was local to that transaction
            setStatus(c, id, "mined");
            assertEquals(null, scalar(c, "SELECT reason FROM publish_job_transitions WHERE job_id = '" + id
                    + "' ORDER BY id DESC LIMIT 1"));
        }
    }

    @Test
    void anchorJobs_areSignedOnlyIntoABatch_leaveItOnlyWhenDiscarded_andReorgWithItsBatch() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            assertEquals("record", scalar(c, "SELECT mode FROM publish_jobs WHERE job_id = '" + id + "'"), "the default");
            assertThrows(SQLException.class, () -> exec(c, "UPDATE publish_jobs SET mode = 'batch' WHERE job_id = '" + id + "'"));
            // a record-mode job never skips processing
            SQLException skipped = assertThrows(SQLException.class, () -> exec(c, "UPDATE publish_jobs SET status = 'signed', "
                    + "raw_tx = '\\x0100', txid = '" + hex64('c') + "' WHERE job_id = '" + id + "'"));
            assertTrue(skipped.getMessage().contains("illegal job transition queued -> signed"), skipped.getMessage());
            exec(c, "UPDATE publish_jobs SET mode = 'anchor' WHERE job_id = '" + id + "'");
            String batch = newId();
            exec(c, "INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('" + batch + "', 1, 'signing')");
            exec(c, "INSERT INTO anchor_batches (batch_id, tree_size, root, txid, raw_tx, fee_sats) VALUES ('" + batch
                    + "', 1, '" + hex64('a') + "', '" + hex64('b') + "', '\\x0100', 1)");
            setStatus(c, id, "processing");
            // signed needs a transaction: its own, or its batch's (with its leaf)
            assertThrows(SQLException.class, () -> setStatus(c, id, "signed"));
            assertThrows(SQLException.class, () -> exec(c, "UPDATE publish_jobs SET status = 'signed', anchor_batch_id = '" + batch
                    + "' WHERE job_id = '" + id + "'"), "a batch without a leaf index");
            exec(c, "UPDATE publish_jobs SET status = 'signed', anchor_batch_id = '" + batch + "', anchor_leaf_index = 0 "
                    + "WHERE job_id = '" + id + "'");
            // it cannot leave a stored anchor transaction while it still names the batch
            SQLException kept = assertThrows(SQLException.class, () -> setStatus(c, id, "processing"));
            assertTrue(kept.getMessage().contains("illegal job transition signed -> processing"), kept.getMessage());
            setStatus(c, id, "sent");
            setStatus(c, id, "mined");
            // a reorg: with a reason, keeping its batch (its txid is NULL on both sides: decided, and recorded)
            c.setAutoCommit(false);
            exec(c, "SELECT set_config('raregen.transition_reason', 'reorg: test', true)");
            exec(c, "UPDATE publish_jobs SET status = 'sent' WHERE job_id = '" + id + "'");
            c.commit();
            c.setAutoCommit(true);
            assertEquals("reorg: test", scalar(c, "SELECT reason FROM publish_job_transitions WHERE job_id = '" + id
                    + "' AND from_status = 'mined'"));
            // discarded (a refusal): out of the batch in the same statement, then back to the queue
            exec(c, "UPDATE publish_jobs SET status = 'processing', anchor_batch_id = NULL, anchor_leaf_index = NULL "
                    + "WHERE job_id = '" + id + "'");
            setStatus(c, id, "queued");
            // the anchoring window claims and stores in one transaction: queued -> signed, into a batch only
            assertThrows(SQLException.class, () -> setStatus(c, id, "signed"));
            exec(c, "UPDATE publish_jobs SET status = 'signed', anchor_batch_id = '" + batch + "', anchor_leaf_index = 0 "
                    + "WHERE job_id = '" + id + "'");
            assertEquals(List.of("null>queued", "queued>processing", "processing>signed", "signed>sent", "sent>mined",
                    "mined>sent", "sent>processing", "processing>queued", "queued>signed"), transitions(c, id));
        }
    }

    @Test
    void jobs_discardingTheStoredTransaction_allowsResigning() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('7')
                    + "' WHERE job_id = '" + id + "'");
            exec(c, "UPDATE publish_jobs SET status = 'processing', raw_tx = NULL, txid = NULL WHERE job_id = '"
                    + id + "'");
            assertEquals("processing", status(c, id));
        }
    }

    @Test
    void jobs_signedWithoutTransaction_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            assertThrows(SQLException.class, () -> setStatus(c, id, "signed"));
        }
    }

    /** V43: a job's transaction bytes live in publish_job_transactions; the guard checks they are there. */
    @Test
    void jobs_signedOnlyWithTheirTransactionBytesStored_andLeaveATransactionOnlyWithThemDeleted() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            setStatus(c, id, "processing");
            String sign = "UPDATE publish_jobs SET status = 'signed', txid = '" + hex64('5') + "' WHERE job_id = '" + id + "'";
            SQLException noBytes = assertThrows(SQLException.class, () -> exec(c, sign), "a txid without its bytes");
            assertEquals("23514", noBytes.getSQLState());
            SQLException bytesWithoutTxid = assertThrows(SQLException.class, () -> exec(c,
                    "UPDATE publish_jobs SET raw_tx = '\\x0100' WHERE job_id = '" + id + "'"));
            assertEquals("23514", bytesWithoutTxid.getSQLState());

            exec(c, "INSERT INTO publish_job_transactions (job_id, raw_tx) VALUES ('" + id + "', '\\x0100')");
            exec(c, sign);
            assertEquals("signed", status(c, id));
            assertEquals(null, scalar(c, "SELECT raw_tx FROM publish_jobs WHERE job_id = '" + id + "'"), "stored once");

            String discard = "UPDATE publish_jobs SET status = 'processing', txid = NULL WHERE job_id = '" + id + "'";
            assertThrows(SQLException.class, () -> exec(c, discard), "bytes of a discarded transaction left behind");
            exec(c, "DELETE FROM publish_job_transactions WHERE job_id = '" + id + "'");
            exec(c, discard);
            setStatus(c, id, "queued");
            assertEquals(List.of("null>queued", "queued>processing", "processing>signed", "signed>processing",
                    "processing>queued"), transitions(c, id));

            // the store's path: queued -> signed with its batch, bytes written first in the same transaction
            exec(c, "INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B-" + id + "', 1, 'broadcasting')");
            String store = "UPDATE publish_jobs SET status = 'signed', processing_batch_id = 'B-" + id + "', txid = '"
                    + hex64('4') + "' WHERE job_id = '" + id + "'";
            assertThrows(SQLException.class, () -> exec(c, store), "queued -> signed without bytes");
            exec(c, "INSERT INTO publish_job_transactions (job_id, raw_tx) VALUES ('" + id + "', '\\x0200')");
            exec(c, store);
            assertEquals("signed", status(c, id));
        }
    }

    @Test
    void jobs_failedWithoutErrorCode_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            insertIdentity(c, PUBKEY);
            String id = newId();
            insertJob(c, id, PUBKEY, "n-" + id);
            assertThrows(SQLException.class, () -> setStatus(c, id, "failed"));
        }
    }

    @Test
    void txidKeyOverJobsInFlight_refusesASecondJobInFlight_andHoldsNoFinishedJob() throws SQLException {
        try (TestDatabase own = TestDatabase.create(); Connection c = own.connect()) {
            // GIVEN the schema after V59 (the key over every job's txid dropped; its own database: fixed txids)
            insertIdentity(c, PUBKEY);
            String mined = newId();
            String first = newId();
            String second = newId();
            for (String id : List.of(mined, first, second)) {
                insertJob(c, id, PUBKEY, "n-" + id);
                setStatus(c, id, "processing");
            }
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('7') + "' WHERE job_id = '"
                    + mined + "'");
            setStatus(c, mined, "sent");
            exec(c, "UPDATE publish_jobs SET status = 'mined', block_hash = '" + hex64('5') + "', block_height = 3, "
                    + "merkle_path = '\\x00' WHERE job_id = '" + mined + "'");

            // WHEN two jobs in flight are signed with one txid
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('8') + "' WHERE job_id = '"
                    + first + "'");
            SQLException twice = assertThrows(SQLException.class, () -> exec(c, "UPDATE publish_jobs SET status = 'signed', "
                    + "raw_tx = '\\x0100', txid = '" + hex64('8') + "' WHERE job_id = '" + second + "'"));

            // THEN the second is refused by the key over the jobs in flight
            assertEquals("23505", twice.getSQLState());
            assertTrue(twice.getMessage().contains("publish_jobs_txid_in_flight"), twice.getMessage());
            // AND the key holds no entry for a finished job: its txid no longer takes part (a txid hashes its inputs,
            // and a spent output is never spent again by the pool: a finished job's txid cannot come back in flight)
            exec(c, "UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x0100', txid = '" + hex64('7') + "' WHERE job_id = '"
                    + second + "'");
            assertEquals("2", scalar(c, "SELECT count(*) FROM publish_jobs WHERE txid = '" + hex64('7') + "'"));
            assertEquals("t", scalar(c, "SELECT pg_get_indexdef('publish_jobs_txid_in_flight'::regclass) LIKE "
                    + "'%WHERE ((status)::text = ANY ((ARRAY[''signed''::character varying, ''sent''::character varying])::text[]))'"));
        }
    }

    @Test
    void updatedAt_isMaintainedByTrigger() throws Exception {
        try (Connection c = db.connect()) {
            String pubkey = "03" + "cd".repeat(32);
            insertIdentity(c, pubkey);
            exec(c, "UPDATE identities SET updated_at = now() - interval '1 day' WHERE pubkey = '" + pubkey + "'");
            String before = scalar(c, "SELECT updated_at::text FROM identities WHERE pubkey = '" + pubkey + "'");
            exec(c, "UPDATE identities SET label = 'renamed' WHERE pubkey = '" + pubkey + "'");
            String after = scalar(c, "SELECT updated_at::text FROM identities WHERE pubkey = '" + pubkey + "'");
            assertNotEquals(before, after);
        }
    }

    /** V50: what a record's drain writes runs no row-level trigger and no foreign-key check per row. */
    @Test
    void drainTables_haveNoPerRowTriggerOrForeignKeyCheck() throws Exception {
        try (Connection c = db.connect()) {
            assertEquals("0", scalar(c, """
                    SELECT count(*) FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name IN ('publish_jobs', 'utxos') AND column_name = 'updated_at'"""));
            // row-level triggers on the drain's tables: only the refund of a failed job (its WHEN clause filters
            // before anything runs); foreign-key checks are internal triggers of the referencing table
            assertEquals("publish_jobs.refund_failed_job", scalar(c, """
                    SELECT string_agg(tgrelid::regclass || '.' || tgname, ',' ORDER BY tgname) FROM pg_trigger
                     WHERE tgrelid IN ('publish_jobs'::regclass, 'publish_job_transactions'::regclass, 'spends'::regclass,
                                       'utxos'::regclass)
                       AND (tgtype & 1) = 1
                       AND tgconstraint = 0"""));
            assertEquals("0", scalar(c, """
                    SELECT count(*) FROM pg_constraint
                     WHERE contype = 'f' AND conrelid IN ('publish_job_transactions'::regclass, 'spends'::regclass,
                                                          'utxos'::regclass)"""));
            // V53: nor a check of the batch each stored job names (the anchoring window's key stays: not the drain's)
            assertEquals("publish_jobs_anchor_batch_id_fkey,publish_jobs_pubkey_fkey", scalar(c, """
                    SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
                     WHERE contype = 'f' AND conrelid = 'publish_jobs'::regclass"""));
        }
    }

    /**
     * V54: the hex checks of the tables every record writes are a length and a class, not a regex with a counted
     * repetition ({64}), which Postgres's regex engine runs ~10 times slower, for every row version written.
     */
    @Test
    void hexChecks_haveNoCountedRepetition_andAcceptAndRejectWhatTheRegexDid() throws Exception {
        try (Connection c = db.connect()) {
            assertEquals("", scalar(c, """
                    SELECT coalesce(string_agg(conname, ',' ORDER BY conname), '') FROM pg_constraint
                     WHERE contype = 'c' AND pg_get_constraintdef(oid) ~ '[{][0-9]+[}]'
                       AND conrelid IN ('publish_jobs'::regclass, 'utxos'::regclass, 'spends'::regclass,
                                        'arc_callbacks'::regclass, 'pool_transactions'::regclass)"""));
            String hex = "0123456789abcdef".repeat(4);
            List<String> samples = List.of(hex, hex.toUpperCase(), hex.substring(1), hex.substring(0, 63) + "g",
                    hex.substring(0, 31) + " " + hex.substring(32), hex.substring(0, 63) + "é", "ab".repeat(32));
            int acceptedCount = 0;
            for (String v : samples) {
                boolean regex = "t".equals(scalar(c, "SELECT '" + v + "'::char(64) ~ '^[0-9a-f]{64}$'"));
                boolean accepted;
                try {
                    insertUtxo(c, v, 7, 1);
                    accepted = true;
                    acceptedCount++;
                    exec(c, "DELETE FROM utxos WHERE txid = '" + v + "' AND vout = 7");
                } catch (SQLException e) {
                    assertEquals("23514", e.getSQLState(), v);
                    accepted = false;
                }
                assertEquals(regex, accepted, "'" + v + "'");
            }
            assertEquals(2, acceptedCount, "both outcomes were tried");
        }
    }

    /**
     * V53: the transition guard asks whether each job's transaction bytes are stored with one probe of
     * publish_job_transactions' key per job, never by reading the whole key (what a hashed EXISTS did whenever the table
     * looked small next to the statement: every store then read every stored transaction's key).
     */
    @Test
    void theStoresGuard_probesTheBytesOfItsOwnJobs_notTheWholeTable() throws Exception {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                insertIdentity(c, PUBKEY);
                // the bytes of 20,000 other jobs, then 500 queued jobs with theirs: the store's shape
                exec(c, "INSERT INTO publish_job_transactions (job_id, raw_tx) SELECT 'h" + tag + "' || lpad(g::text, 17, '0'), "
                        + "'\\x0100' FROM generate_series(1, 20000) g");
                exec(c, "INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash) "
                        + "SELECT 'q" + tag + "' || lpad(g::text, 17, '0'), '" + PUBKEY + "', 'n" + tag + "' || g, '{}', 'sig', "
                        + "md5(g::text) || md5(g::text) FROM generate_series(1, 500) g");
                exec(c, "INSERT INTO publish_job_transactions (job_id, raw_tx) SELECT 'q" + tag + "' || lpad(g::text, 17, '0'), "
                        + "'\\x0100' FROM generate_series(1, 500) g");
                exec(c, "INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B" + tag + "', 500, 'broadcasting')");
                exec(c, "ANALYZE publish_job_transactions");
                // rows of the table read by sequential scans plus entries of its key read by index scans, in this transaction
                String read = "SELECT pg_stat_get_xact_tuples_returned('publish_job_transactions'::regclass) "
                        + "+ pg_stat_get_xact_tuples_returned('publish_job_transactions_pkey'::regclass)";
                long before = Long.parseLong(scalar(c, read));

                exec(c, "UPDATE publish_jobs SET status = 'signed', processing_batch_id = 'B" + tag + "', "
                        + "txid = md5(job_id) || md5(job_id || 'x') WHERE job_id LIKE 'q" + tag + "%' AND status = 'queued'");

                assertEquals("500", scalar(c, "SELECT count(*) FROM publish_jobs WHERE job_id LIKE 'q" + tag + "%' AND status = 'signed'"));
                long probed = Long.parseLong(scalar(c, read)) - before;
                assertTrue(probed >= 500 && probed <= 1000, "rows and key entries of publish_job_transactions read: " + probed);
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * V52: a pool row's reservation, its one later version, lands on the row's own page (the room fillfactor leaves),
     * so Postgres logs only the bytes that changed and no lock record for a move to another page.
     */
    @Test
    void aPoolRowsReservation_staysOnItsPage() throws Exception {
        try (Connection c = db.connect()) {
            String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            exec(c, "INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose) SELECT md5('" + tag + "' || g) || "
                    + "md5(g || '" + tag + "'), 0, 1000, decode(repeat('ab', 25), 'hex'), 'publish' FROM generate_series(1, 400) g");
            String mine = "txid IN (SELECT md5('" + tag + "' || g) || md5(g || '" + tag + "') FROM generate_series(1, 200, 10) g)";
            String pages = "SELECT string_agg((ctid::text::point)[0]::text, ',' ORDER BY id) FROM utxos WHERE " + mine;
            String before = scalar(c, pages);

            exec(c, "UPDATE utxos SET status = 'reserved', reserved_at = now(), reserved_until = now() + interval '5 minutes', "
                    + "reserved_by = 'schema-test' WHERE " + mine);

            assertEquals(20, before.split(",").length);
            assertEquals(before, scalar(c, pages), "every reserved version stayed on its row's page");
            exec(c, "DELETE FROM utxos WHERE txid IN (SELECT md5('" + tag + "' || g) || md5(g || '" + tag + "') "
                    + "FROM generate_series(1, 400) g)");
        }
    }

    @Test
    void identities_malformedPubkey_isRejected() throws SQLException {
        try (Connection c = db.connect()) {
            assertThrows(SQLException.class, () -> insertIdentity(c, "04" + "ab".repeat(32)));
            assertThrows(SQLException.class, () -> insertIdentity(c, "02ABCD"));
        }
    }

    // --- helpers ---

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    }

    private static String hex64(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void arcCallbacks_sameCallbackTwice_isStoredOnce_butAReorgsNewBlockIsANewRow() throws SQLException {
        String txid = hex64('7');
        String sql = "INSERT INTO arc_callbacks (txid, tx_status, block_hash, block_height) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            Object[][] rows = {{"MINED", hex64('a'), 100}, {"MINED", hex64('a'), 100}, {"MINED", hex64('b'), 101},
                    {"SEEN_ON_NETWORK", null, null}, {"SEEN_ON_NETWORK", null, null}};
            int inserted = 0;
            for (Object[] r : rows) {
                ps.setString(1, txid);
                ps.setString(2, (String) r[0]);
                ps.setString(3, (String) r[1]);
                ps.setObject(4, r[2]);
                inserted += ps.executeUpdate();
            }
            assertEquals(3, inserted);
        }
    }

    @Test
    void arcCallbacks_rejectBadTxidStatusAndAnOutcomeWithoutApplication() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertEquals("23514", assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO arc_callbacks (txid, tx_status) VALUES ('" + "AB".repeat(32) + "', 'MINED')")).getSQLState());
            assertEquals("23514", assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO arc_callbacks (txid, tx_status) VALUES ('" + hex64('8') + "', 'mined; drop')")).getSQLState());
            assertEquals("23514", assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO arc_callbacks (txid, tx_status, outcome) VALUES ('" + hex64('9') + "', 'MINED', 'mined')")).getSQLState());
        }
    }

    private static void insertIdentity(Connection c, String pubkey) throws SQLException {
        exec(c, "INSERT INTO identities (pubkey) VALUES ('" + pubkey + "') ON CONFLICT DO NOTHING");
    }

    private static void insertJob(Connection c, String id, String pubkey, String nonce) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO publish_jobs (job_id, pubkey, nonce, "
                + "signed_payload, signature, payload_hash) VALUES (?, ?, ?, '{}', 'sig', ?)")) {
            ps.setString(1, id);
            ps.setString(2, pubkey);
            ps.setString(3, nonce);
            ps.setString(4, hex64('0'));
            ps.executeUpdate();
        }
    }

    private static void insertUtxo(Connection c, String txid, int vout, long sats) throws SQLException {
        exec(c, "INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose) VALUES ('" + txid + "', " + vout
                + ", " + sats + ", '\\x76a9', 'publish')");
    }

    private static void setStatus(Connection c, String id, String status) throws SQLException {
        exec(c, "UPDATE publish_jobs SET status = '" + status + "' WHERE job_id = '" + id + "'");
    }

    private static String status(Connection c, String id) throws SQLException {
        return scalar(c, "SELECT status FROM publish_jobs WHERE job_id = '" + id + "'");
    }

    private static List<String> transitions(Connection c, String id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT from_status, to_status FROM publish_job_transitions WHERE job_id = '" + id + "' ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + ">" + rs.getString(2));
            }
        }
        return out;
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
