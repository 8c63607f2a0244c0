package io.raregen.functions.intake;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.JobId;
import io.raregen.functions.intake.JobStore.Insertion;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.web.StorageException;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Group commit of job inserts on a real Postgres: requests that queue behind a running insert share
 * one multi-row statement, and each still gets exactly the answer a lone insert would give.
 *
 * <p>Each test first starts a "plug" insert while the test holds {@code LOCK TABLE publish_jobs IN
 * SHARE MODE}, so that statement blocks in the database; the requests under test then queue behind
 * it, and the lock is released once all of them wait. Rows committed by one statement share one
 * transaction id ({@code xmin}), which is how the tests see the grouping in the database itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJobStoreGroupCommitTest {

    private static final EnvelopeVerifier VERIFIER = new EnvelopeVerifier();

    private TestDatabase db;
    private HikariDataSource dataSource;
    private Connection sql;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    void createDatabase() throws SQLException {
        db = TestDatabase.create();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(db.jdbcUrl());
        hc.setMaximumPoolSize(24);
        dataSource = new HikariDataSource(hc);
        sql = db.connect();
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        threads.shutdownNow();
        sql.close();
        dataSource.close();
        db.close();
    }

    @Test
    void mixedGroup_answersEveryRequestAsALoneInsertWould_andCommitsTheNewRowsInOneStatement() throws Exception {
        // GIVEN two active keys, a revoked and an unknown one, and a job stored before the group
        PostgresJobStore store = store(64);
        KeyPair a = active();
        KeyPair b = active();
        KeyPair revoked = revoked();
        KeyPair unknown = KeyPair.generate();
        String priorNonce = Envelopes.nonce();
        VerifiedEnvelope prior = verified(Envelopes.publish(a, priorNonce));
        JobId priorId = JobId.generate();
        assertInstanceOf(Insertion.Created.class, store.insert(priorId, prior));

        VerifiedEnvelope newA = verified(Envelopes.publish(a));
        VerifiedEnvelope newB = verified(Envelopes.publish(b));
        String sharedNonce = Envelopes.nonce();
        VerifiedEnvelope sharedX = verified(Envelopes.publish(b, sharedNonce));
        VerifiedEnvelope sharedY = verified(Envelopes.publish(b, sharedNonce));
        VerifiedEnvelope priorOtherPayload = verified(Envelopes.publish(a, priorNonce));
        VerifiedEnvelope byUnknown = verified(Envelopes.publish(unknown));
        VerifiedEnvelope byRevoked = verified(Envelopes.publish(revoked));

        Map<String, JobRequest> requests = new HashMap<>();
        requests.put("newA", new JobRequest(JobId.generate(), newA));
        requests.put("newA again", new JobRequest(JobId.generate(), newA));
        requests.put("newB", new JobRequest(JobId.generate(), newB));
        requests.put("sharedX", new JobRequest(JobId.generate(), sharedX));
        requests.put("sharedY", new JobRequest(JobId.generate(), sharedY));
        requests.put("prior again", new JobRequest(JobId.generate(), prior));
        requests.put("prior other payload", new JobRequest(JobId.generate(), priorOtherPayload));
        requests.put("unknown key", new JobRequest(JobId.generate(), byUnknown));
        requests.put("revoked key", new JobRequest(JobId.generate(), byRevoked));

        // WHEN all of them queue behind one running insert and then run together
        Map<String, Outcome> out = runBehindPlug(store, requests, b);

        // THEN byte-identical duplicates in the group share the one job
        Insertion.Created createdA = created(out, "newA", "newA again");
        Insertion.Existing dupA = existingOther(out, "newA", "newA again");
        assertEquals(new Insertion.Existing(createdA.jobId(), "queued", true, PublishMode.RECORD), dupA);
        // one nonce, two payloads in the group: one job, the other is a conflict
        Insertion.Created createdShared = created(out, "sharedX", "sharedY");
        assertEquals(new Insertion.Existing(createdShared.jobId(), "queued", false, PublishMode.RECORD), existingOther(out, "sharedX", "sharedY"));
        Insertion.Created createdB = assertInstanceOf(Insertion.Created.class, out.get("newB").insertion());
        assertEquals(requests.get("newB").jobId(), createdB.jobId());
        // a retry of a job stored earlier gets that job; another payload for its nonce conflicts
        assertEquals(new Insertion.Existing(priorId, "queued", true, PublishMode.RECORD), out.get("prior again").insertion());
        assertEquals(new Insertion.Existing(priorId, "queued", false, PublishMode.RECORD), out.get("prior other payload").insertion());
        assertEquals(new Insertion.UnknownIdentity(), out.get("unknown key").insertion());
        assertEquals(new Insertion.RevokedIdentity(), out.get("revoked key").insertion());

        // and the database holds exactly one row per (key, nonce), the three new ones from one statement
        assertEquals(2, count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", a.publicKey().hex()));
        assertEquals(3, count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", b.publicKey().hex()));
        assertEquals(0, count("SELECT count(*) FROM publish_jobs WHERE pubkey IN (?, ?)",
                revoked.publicKey().hex(), unknown.publicKey().hex()));
        String winnerShared = createdShared.jobId().equals(requests.get("sharedX").jobId()) ? "sharedX" : "sharedY";
        assertEquals(requests.get(winnerShared).envelope().payloadHashHex(),
                string("SELECT payload_hash FROM publish_jobs WHERE job_id = ?", createdShared.jobId().value()));
        assertEquals(List.of(3), statementSizes(List.of(createdA.jobId(), createdB.jobId(), createdShared.jobId())));
        assertNotEquals(xmin(createdA.jobId()), xmin(priorId));
    }

    @Test
    void moreQueuedThanTheCap_areInsertedInStatementsOfAtMostTheCap() throws Exception {
        // GIVEN a cap of 4 and ten new jobs waiting behind a running insert
        PostgresJobStore store = store(4);
        KeyPair key = active();
        Map<String, JobRequest> requests = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            requests.put("job " + i, new JobRequest(JobId.generate(), verified(Envelopes.publish(key))));
        }

        // WHEN they run
        Map<String, Outcome> out = runBehindPlug(store, requests, key);

        // THEN every one is created, in statements of 4, 4 and 2 rows
        List<JobId> ids = new ArrayList<>();
        requests.forEach((name, r) -> {
            assertEquals(r.jobId(), assertInstanceOf(Insertion.Created.class, out.get(name).insertion()).jobId(), name);
            ids.add(r.jobId());
        });
        assertEquals(List.of(2, 4, 4), statementSizes(ids));
    }

    @Test
    void groupStatementFails_eachJobIsInsertedAlone_andOnlyTheBadOneFails() throws Exception {
        // GIVEN three good jobs and one whose record id exceeds publish_jobs.record_id VARCHAR(256)
        // (the verifier refuses such ids, so this row is built around it, as a stand-in for any row
        // the database rejects), all waiting behind a running insert
        PostgresJobStore store = store(64);
        KeyPair key = active();
        Map<String, JobRequest> requests = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            requests.put("good " + i, new JobRequest(JobId.generate(), verified(Envelopes.publish(key))));
        }
        VerifiedEnvelope ok = verified(Envelopes.publish(key));
        VerifiedEnvelope tooLong = new VerifiedEnvelope(ok.envelope(), ok.publicKey(), ok.type(), ok.nonce(), ok.createdAt(),
                Optional.of("r".repeat(300)), ok.payloadHash());
        requests.put("bad", new JobRequest(JobId.generate(), tooLong));

        // WHEN they run
        Map<String, Outcome> out = runBehindPlug(store, requests, key);

        // THEN the bad one fails with the storage error a lone insert gives, and the good ones land
        StorageException error = assertInstanceOf(StorageException.class, out.get("bad").error());
        assertEquals("22001", assertInstanceOf(SQLException.class, error.getCause()).getSQLState()); // string_data_right_truncation
        assertEquals(0, count("SELECT count(*) FROM publish_jobs WHERE job_id = ?", requests.get("bad").jobId().value()));
        List<JobId> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JobRequest r = requests.get("good " + i);
            assertEquals(r.jobId(), assertInstanceOf(Insertion.Created.class, out.get("good " + i).insertion()).jobId());
            good.add(r.jobId());
        }
        // inserted alone: one statement each
        assertEquals(List.of(1, 1, 1), statementSizes(good));
    }

    @Test
    void groupingOff_insertsAndExplainsAsBefore() {
        // GIVEN insert-batch-max 1
        PostgresJobStore store = store(1);
        KeyPair key = active();
        VerifiedEnvelope e = verified(Envelopes.publish(key));
        JobId first = JobId.generate();

        // WHEN a job is inserted, retried, and an unknown key tries
        Insertion created = store.insert(first, e);
        Insertion retry = store.insert(JobId.generate(), e);
        Insertion unknown = store.insert(JobId.generate(), verified(Envelopes.publish(KeyPair.generate())));

        // THEN
        assertEquals(first, assertInstanceOf(Insertion.Created.class, created).jobId());
        assertEquals(new Insertion.Existing(first, "queued", true, PublishMode.RECORD), retry);
        assertEquals(new Insertion.UnknownIdentity(), unknown);
        assertEquals(0, store.queuedInserts());
    }

    @Test
    void aDuplicateThatLosesTheRaceInTheDatabase_isAnsweredAsARetry_notAnError() throws Exception {
        // GIVEN another instance inserting the same envelope, its statement (nonce, then job) not yet committed
        PostgresJobStore store = store(1);
        KeyPair key = active();
        VerifiedEnvelope e = verified(Envelopes.publish(key));
        JobId theirs = JobId.generate();
        // WHEN this instance inserts it too: it sees no such nonce yet, so taking it waits on the other's, and the other
        // commits first
        Insertion ours = insertBehind(store, e, other -> {
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) "
                    + "VALUES (nonce_key(?, ?), ?, now() + interval '5 minutes')")) {
                ps.setString(1, key.publicKey().hex());
                ps.setString(2, e.nonce());
                ps.setString(3, theirs.value());
                ps.executeUpdate();
            }
            insertJobRow(other, theirs, key, e);
        });

        // THEN ours meets the other's nonce on its key (ON CONFLICT DO NOTHING), inserts no job and answers the other's,
        // as a retry
        assertEquals(new Insertion.Existing(theirs, "queued", true, PublishMode.RECORD), ours);
        assertEquals(1, count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(1, guards(key, e.nonce()));
    }

    @Test
    void aNonceIsGuardedUntilItsEnvelopeExpires_andNothingElseHoldsItAfterThat() {
        // GIVEN a stored job (the intake's TTL: 5 minutes)
        PostgresJobStore store = store(1);
        KeyPair key = active();
        String nonce = Envelopes.nonce();
        VerifiedEnvelope first = verified(Envelopes.publish(key, nonce));
        JobId firstId = JobId.generate();
        assertInstanceOf(Insertion.Created.class, store.insert(firstId, first));

        // THEN its nonce is guarded until createdAt + TTL, for that job
        assertEquals(1, count("SELECT count(*) FROM publish_nonces WHERE nonce_key = nonce_key(?, ?) AND job_id = ? "
                + "AND expires_at = ?::timestamptz", key.publicKey().hex(), nonce, firstId.value(),
                first.createdAt().plus(Duration.ofMinutes(5)).toString()));
        // AND while guarded, another payload under the nonce is a conflict with that job
        VerifiedEnvelope second = verified(Envelopes.publish(key, nonce));
        assertEquals(new Insertion.Existing(firstId, "queued", false, PublishMode.RECORD), store.insert(JobId.generate(), second));

        // WHEN the guard is deleted (the broadcaster's retention does that after expiry, when no envelope with this
        // createdAt passes the intake's freshness check any more)
        execute("DELETE FROM publish_nonces WHERE nonce_key = nonce_key(?, ?)", key.publicKey().hex(), nonce);

        // THEN the store takes a second job under the nonce (since V59 no key on publish_jobs holds a nonce; the
        // intake's freshness check refuses such an envelope before the store sees it)
        JobId secondId = JobId.generate();
        assertEquals(secondId, assertInstanceOf(Insertion.Created.class, store.insert(secondId, second)).jobId());
        assertEquals(2, count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(1, count("SELECT count(*) FROM publish_nonces WHERE nonce_key = nonce_key(?, ?) AND job_id = ?",
                key.publicKey().hex(), nonce, secondId.value()));
    }

    @Test
    void aJobItsAccountCannotPayFor_leavesItsNonceFree_forTheRetryAfterATopUp() {
        // GIVEN a key of an account without credits
        PostgresJobStore store = store(1);
        KeyPair key = active();
        String account = java.util.UUID.randomUUID().toString();
        execute("INSERT INTO accounts (account_id, email) VALUES (?::uuid, ?)", account, "nonce-" + account + "@example.com");
        execute("INSERT INTO account_balances (account_id, credits) VALUES (?::uuid, 0)", account);
        execute("UPDATE identities SET account_id = ?::uuid WHERE pubkey = ?", account, key.publicKey().hex());
        VerifiedEnvelope e = verified(Envelopes.publish(key));

        // WHEN it publishes
        assertEquals(new Insertion.CreditsExhausted(), store.insert(JobId.generate(), e));

        // THEN its nonce is not taken, so the same envelope goes through once the account has a credit
        assertEquals(0, guards(key, e.nonce()));
        execute("UPDATE account_balances SET credits = 1 WHERE account_id = ?::uuid", account);
        JobId id = JobId.generate();
        assertEquals(id, assertInstanceOf(Insertion.Created.class, store.insert(id, e)).jobId());
        assertEquals(1, guards(key, e.nonce()));
    }

    @Test
    void aGuardNamingNoJob_leftByThePreviousReleaseOnTheOldSchema_isDropped_andTheJobInserted() {
        for (int batch : new int[] {1, 8}) {
            // GIVEN a nonce whose guard names a job that was never inserted (the previous release's intake, on V58's
            // schema, took the guard and then met an older job of the nonce on the nonce's old unique key)
            PostgresJobStore store = store(batch);
            KeyPair key = active();
            VerifiedEnvelope e = verified(Envelopes.publish(key));
            execute("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) VALUES (nonce_key(?, ?), ?, now() + interval '5 minutes')",
                    key.publicKey().hex(), e.nonce(), JobId.generate().value());

            // WHEN the envelope is published (alone, or through a group)
            JobId id = JobId.generate();
            Insertion answer = store.insert(id, e);

            // THEN the guard without a job is dropped and the job inserted, its nonce now guarded for it
            assertEquals(id, assertInstanceOf(Insertion.Created.class, answer, "batch " + batch).jobId());
            assertEquals(1, count("SELECT count(*) FROM publish_nonces WHERE nonce_key = nonce_key(?, ?) AND job_id = ?",
                    key.publicKey().hex(), e.nonce(), id.value()));
            assertEquals(1, count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        }
    }

    /** How many guards {@code key}'s {@code nonce} has (0 or 1), whether or not a job exists for it. */
    private long guards(KeyPair key, String nonce) {
        return count("SELECT count(*) FROM publish_nonces WHERE nonce_key = nonce_key(?, ?)", key.publicKey().hex(), nonce);
    }

    /** Writes of another instance, in its open transaction. */
    private interface OtherWrites {
        void run(Connection other) throws SQLException;
    }

    /**
     * Runs {@code theirs} in another transaction, starts this store's insert of {@code e}, waits until that insert
     * waits on a lock, commits the other transaction, and returns this store's answer.
     */
    private Insertion insertBehind(PostgresJobStore store, VerifiedEnvelope e, OtherWrites theirs) throws Exception {
        Future<Insertion> ours;
        try (Connection other = db.connect()) {
            other.setAutoCommit(false);
            theirs.run(other);
            ours = threads.submit(() -> store.insert(JobId.generate(), e));
            awaitTrue("our insert waits for the other's nonce", () -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= 1);
            other.commit();
        }
        return ours.get();
    }

    private static void insertJobRow(Connection c, JobId id, KeyPair key, VerifiedEnvelope e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO publish_jobs (job_id, pubkey, nonce, "
                + "signed_payload, signature, payload_hash) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.value());
            ps.setString(2, key.publicKey().hex());
            ps.setString(3, e.nonce());
            ps.setString(4, e.envelope().signedPayload());
            ps.setString(5, e.envelope().signature());
            ps.setString(6, e.payloadHashHex());
            ps.executeUpdate();
        }
    }

    // --- helpers

    private record JobRequest(JobId jobId, VerifiedEnvelope envelope) {
    }

    private record Outcome(Insertion insertion, Throwable error) {
    }

    private PostgresJobStore store(int insertBatchMax) {
        return new PostgresJobStore(dataSource, new IntakeConfiguration(100_000, Duration.ofMinutes(5), insertBatchMax),
                new QuotaConfiguration(false, 1, 1, 1, 1));
    }

    /**
     * Blocks a first insert (the plug, by {@code plugKey}) on a table lock, lets every request queue
     * behind it, then releases the lock and returns each request's outcome by name.
     */
    private Map<String, Outcome> runBehindPlug(PostgresJobStore store, Map<String, JobRequest> requests, KeyPair plugKey)
            throws Exception {
        Future<Insertion> plug;
        Map<String, Future<Outcome>> futures = new HashMap<>();
        try (Connection lock = db.connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE publish_jobs IN SHARE MODE");
            }
            plug = threads.submit(() -> store.insert(JobId.generate(), verified(Envelopes.publish(plugKey))));
            awaitTrue("the plug insert waits for the table lock", () -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= 1);
            requests.forEach((name, r) -> futures.put(name, threads.submit(() -> {
                try {
                    return new Outcome(store.insert(r.jobId(), r.envelope()), null);
                } catch (RuntimeException e) {
                    return new Outcome(null, e);
                }
            })));
            awaitTrue("all requests queue behind the plug", () -> store.queuedInserts() == requests.size());
            lock.commit();
        }
        assertInstanceOf(Insertion.Created.class, plug.get());
        Map<String, Outcome> out = new HashMap<>();
        for (Map.Entry<String, Future<Outcome>> f : futures.entrySet()) {
            try {
                out.put(f.getKey(), f.getValue().get());
            } catch (ExecutionException e) {
                fail(f.getKey() + " threw " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    /** Of two requests, the one that created the job (exactly one must have). */
    private static Insertion.Created created(Map<String, Outcome> out, String one, String other) {
        List<Insertion.Created> created = new ArrayList<>();
        for (String name : List.of(one, other)) {
            if (out.get(name).insertion() instanceof Insertion.Created c) {
                created.add(c);
            }
        }
        assertEquals(1, created.size(), "exactly one of " + one + " / " + other + " creates the job: " + out);
        return created.get(0);
    }

    /** Of two requests, the answer of the one that did not create the job. */
    private static Insertion.Existing existingOther(Map<String, Outcome> out, String one, String other) {
        String loser = out.get(one).insertion() instanceof Insertion.Created ? other : one;
        assertNull(out.get(loser).error());
        return assertInstanceOf(Insertion.Existing.class, out.get(loser).insertion());
    }

    /** How many of the given jobs each inserting transaction committed, ascending. */
    private List<Integer> statementSizes(Collection<JobId> ids) throws SQLException {
        Map<String, Integer> byXmin = new HashMap<>();
        for (JobId id : ids) {
            byXmin.merge(xmin(id), 1, Integer::sum);
        }
        return byXmin.values().stream().sorted().toList();
    }

    private String xmin(JobId id) throws SQLException {
        String x = string("SELECT xmin::text FROM publish_jobs WHERE job_id = ?", id.value());
        assertTrue(x != null, "job " + id + " is stored");
        return x;
    }

    private KeyPair active() {
        KeyPair k = KeyPair.generate();
        execute("INSERT INTO identities (pubkey) VALUES (?)", k.publicKey().hex());
        return k;
    }

    private KeyPair revoked() {
        KeyPair k = KeyPair.generate();
        execute("INSERT INTO identities (pubkey, status, revoked_at) VALUES (?, 'revoked', now())", k.publicKey().hex());
        return k;
    }

    private static VerifiedEnvelope verified(Envelope e) {
        try {
            return VERIFIER.verify(e, EnvelopeVerifier.TYPE_PUBLISH);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        // a guard against hanging, not a timing assertion
        for (int i = 0; i < 3_000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        fail("gave up waiting until " + what);
    }

    private synchronized long count(String query, Object... args) {
        try (PreparedStatement ps = prepare(query, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized String string(String query, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(query, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private synchronized void execute(String query, Object... args) {
        try (PreparedStatement ps = prepare(query, args)) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private PreparedStatement prepare(String query, Object... args) throws SQLException {
        PreparedStatement ps = sql.prepareStatement(query);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
