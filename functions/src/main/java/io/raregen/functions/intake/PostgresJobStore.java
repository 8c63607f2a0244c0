package io.raregen.functions.intake;

import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.ratelimit.TokenBucketMath;
import io.raregen.core.types.JobId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link JobStore} on Postgres. The happy path is one auto-committed statement: the insert is
 * guarded by the identity check and made race-safe by the primary key of {@code publish_nonces},
 * {@code nonce_key(pubkey, nonce)} (their SHA-256): the statement takes the job's nonce there before it inserts the
 * job, so concurrent identical requests produce exactly one row. A nonce is guarded while its envelope can still be
 * accepted, until its createdAt + {@code raregen.intake.ttl}; after that the envelope is refused as expired whatever
 * its nonce, and the broadcaster's retention deletes the row.
 *
 * <p>Concurrent requests on one process share that statement (natural group commit, see
 * {@link GroupCommitter}): while one insert runs, new jobs queue, and the next statement inserts
 * all of them (up to {@code raregen.intake.insert-batch-max}) with one multi-row INSERT and one
 * commit. A job the group statement did not insert is explained per request exactly as a lone
 * insert would be; if the group statement fails as a whole, each of its jobs is inserted alone, so
 * one bad row cannot fail its neighbours.
 *
 * <p>With the publish quota on ({@link QuotaConfiguration}) the same one statement also takes the tokens: it
 * upserts each key's {@code publish_quotas} row (refill by elapsed time, take at most what is there, remember how
 * many it granted) and inserts only the jobs that got one, so the quota costs the group commit no extra round trip.
 * The upsert locks the key's row until the commit, which serialises takes of one key across instances; keys are
 * taken in one global order, as the job rows are. A key that belongs to an account takes from the account's bucket
 * ({@code account_quotas}, after the key rows, in account order) instead of its own. A job whose (key, nonce) already exists takes no token, so a
 * byte-identical retry is free, and of several requests with one nonce in a group only the first can take one (a
 * duplicate racing its original from another instance, in another statement, may still take one).
 *
 * <p>A key that belongs to an account is charged one credit per job in the same statement: the statement locks the
 * balance rows of the accounts in the group (in account order, after the quota rows), inserts only the jobs their
 * account can pay for, then debits each account once by the number of jobs actually inserted, with one ledger entry
 * per account and group. So a hot account pays one row update per group commit, not per request; a retry (its
 * nonce exists) and a refused job are never charged, and a duplicate racing its original from another instance
 * is charged only if it is the one inserted.
 */
@Singleton
public class PostgresJobStore implements JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresJobStore.class);

    // the eleven request arrays, one row each, in request order, with the key of each nonce's guard; a nonce is taken
    // while publish_nonces guards it
    private static final String ROWS = """
            r AS (
              SELECT u.*, nonce_key(u.pubkey, u.nonce) AS guard
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[])
                   WITH ORDINALITY AS u (job_id, pubkey, nonce, record_id, signed_payload, signature, payload_hash,
                                         envelope, envelope_sha256, mode, expires_at, ord)
            ),
            fresh AS (
              SELECT d.*, row_number() OVER (PARTITION BY coalesce(d.account_id::text, d.pubkey) ORDER BY d.ord) AS n
              FROM (SELECT DISTINCT ON (r.pubkey, r.nonce) r.*, i.account_id FROM r
                    JOIN identities i ON i.pubkey = r.pubkey AND i.status = 'active'
                    WHERE NOT EXISTS (SELECT 1 FROM publish_nonces g WHERE g.nonce_key = r.guard)
                    ORDER BY r.pubkey, r.nonce, r.ord) d
            ),
            """;

    // from the rows that may be inserted ("eligible", with a rank per account): lock the balances of their accounts,
    // take the nonces of those their account can pay for (a key of no account pays nothing), insert the jobs whose
    // nonce was taken, and debit each account once for the jobs actually inserted, with one ledger entry. A nonce
    // taken by another statement meanwhile is skipped (ON CONFLICT DO NOTHING) and its job not inserted
    private static final String CHARGE_AND_INSERT = """
            funds AS (
              SELECT b.account_id, b.credits FROM account_balances b
              WHERE b.account_id IN (SELECT e.account_id FROM eligible e WHERE e.account_id IS NOT NULL)
              ORDER BY b.account_id
              FOR UPDATE
            ),
            payable AS (
              SELECT e.* FROM eligible e LEFT JOIN funds b ON b.account_id = e.account_id
              WHERE e.account_id IS NULL OR e.an <= b.credits
            ),
            taken AS (
              INSERT INTO publish_nonces (nonce_key, job_id, expires_at)
              SELECT p.guard, p.job_id, p.expires_at::timestamptz FROM payable p
              ORDER BY p.guard
              ON CONFLICT DO NOTHING
              RETURNING job_id
            ),
            ins AS (
              INSERT INTO publish_jobs (job_id, pubkey, nonce, record_id, signed_payload, signature, payload_hash,
                                        envelope, envelope_sha256, account_id, mode)
              SELECT e.job_id, e.pubkey, e.nonce, e.record_id, e.signed_payload, e.signature, e.payload_hash,
                     NULLIF(convert_to(e.envelope, 'UTF8'), publish_body(e.signed_payload, e.signature, e.pubkey, e.mode)),
                     e.envelope_sha256, e.account_id, e.mode
              FROM payable e
              WHERE e.job_id IN (SELECT t.job_id FROM taken t)
              ORDER BY e.ord
              RETURNING job_id, created_at, account_id
            ),
            debit AS (
              UPDATE account_balances b SET credits = b.credits - n.jobs
              FROM (SELECT account_id, count(*) AS jobs FROM ins WHERE account_id IS NOT NULL GROUP BY account_id) n
              WHERE b.account_id = n.account_id
              RETURNING b.account_id, n.jobs
            ),
            entry AS (
              INSERT INTO credit_ledger (account_id, delta, kind, jobs)
              SELECT account_id, -jobs, 'publish', jobs FROM debit
            )
            SELECT job_id, created_at FROM ins
            """;

    // the group statement; rows keep the order of the arrays
    private static final String INSERT_GROUP = "WITH " + ROWS + """
            eligible AS (
              SELECT f.*, row_number() OVER (PARTITION BY f.account_id ORDER BY f.ord) AS an FROM fresh f
            ),
            """ + CHARGE_AND_INSERT;

    /**
     * A CTE that takes tokens from one kind of bucket for the fresh rows {@code where} selects, one bucket per
     * {@code key}: refill by elapsed time, take at most what is there, remember how many it granted. Parameters:
     * burst ×3, (burst, rate) ×3.
     */
    private static String take(String name, String table, String key, String where) {
        return """
            %1$s AS (
              INSERT INTO %2$s AS q (%3$s, tokens, refilled_at, granted)
              SELECT %3$s, ?::float8 - LEAST(count(*), floor(?::float8)), statement_timestamp(), LEAST(count(*), floor(?::float8))
              FROM fresh WHERE %4$s GROUP BY %3$s ORDER BY %3$s
              ON CONFLICT (%3$s) DO UPDATE SET
                granted = LEAST(EXCLUDED.granted, floor(LEAST(?::float8, q.tokens
                    + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - q.refilled_at)))::float8 * ?::float8))),
                tokens = LEAST(?::float8, q.tokens
                    + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - q.refilled_at)))::float8 * ?::float8)
                  - LEAST(EXCLUDED.granted, floor(LEAST(?::float8, q.tokens
                    + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - q.refilled_at)))::float8 * ?::float8))),
                refilled_at = GREATEST(q.refilled_at, statement_timestamp())
              RETURNING q.%3$s, q.granted
            ),
            """.formatted(name, table, key, where);
    }

    // the group statement under the quota: the takes first (only a job that got a token may be charged), from the
    // key's bucket for a key of no account, else from its account's (after the key buckets, in account order);
    // parameters: the ten arrays, then the key bucket's, then the account bucket's
    private static final String INSERT_GROUP_WITH_QUOTA = "WITH " + ROWS
            + take("take", "publish_quotas", "pubkey", "account_id IS NULL")
            + take("take_account", "account_quotas", "account_id", "account_id IS NOT NULL") + """
            eligible AS (
              SELECT f.*, row_number() OVER (PARTITION BY f.account_id ORDER BY f.ord) AS an
              FROM fresh f
              LEFT JOIN take t ON f.account_id IS NULL AND t.pubkey = f.pubkey
              LEFT JOIN take_account ta ON ta.account_id = f.account_id
              WHERE f.n <= coalesce(t.granted, ta.granted, 0)
            ),
            """ + CHARGE_AND_INSERT;

    // the quota level now of the key's bucket (its account's when it has one; a full bucket without a row) and its
    // account's credits (null: no account); parameters: burst, rate, burst, account burst, account rate, account
    // burst, nonce, pubkey
    private static final String EXPLAIN_MISS = """
            SELECT i.status, j.job_id, j.payload_hash, s.status, j.mode,
                   CASE WHEN i.account_id IS NULL
                     THEN LEAST(?::float8, COALESCE(q.tokens
                       + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - q.refilled_at)))::float8 * ?::float8, ?::float8))
                     ELSE LEAST(?::float8, COALESCE(aq.tokens
                       + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - aq.refilled_at)))::float8 * ?::float8, ?::float8))
                   END,
                   b.credits, i.account_id IS NOT NULL, g.job_id
            FROM identities i
            LEFT JOIN publish_nonces g ON g.nonce_key = nonce_key(i.pubkey, ?)
            LEFT JOIN publish_jobs j ON j.job_id = g.job_id
            LEFT JOIN job_states s ON s.job_id = j.job_id
            LEFT JOIN publish_quotas q ON q.pubkey = i.pubkey
            LEFT JOIN account_quotas aq ON aq.account_id = i.account_id
            LEFT JOIN account_balances b ON b.account_id = i.account_id
            WHERE i.pubkey = ?
            """;

    private final DataSource dataSource;
    private final GroupCommitter<NewJob, GroupOutcome> groups;
    // when a group last found no connection within the pool's connection timeout (null: never)
    private volatile ConnectionFailure lastConnectionFailure;
    private final QuotaConfiguration quota;
    private final Duration ttl;

    public PostgresJobStore(DataSource dataSource, IntakeConfiguration config, QuotaConfiguration quota) {
        this.dataSource = dataSource;
        this.groups = config.insertBatchMax() > 1 ? new GroupCommitter<>(config.insertBatchMax(), this::insertGroup) : null;
        this.quota = quota;
        this.ttl = config.ttl();
    }

    @Override
    public Insertion insert(JobId jobId, VerifiedEnvelope envelope, AcceptedBody body, PublishMode mode) {
        NewJob job = new NewJob(jobId, envelope, body, mode);
        GroupOutcome grouped = groups == null ? GroupOutcome.InsertAlone.INSTANCE : groups.submit(job);
        if (grouped instanceof GroupOutcome.Inserted inserted) {
            return new Insertion.Created(jobId, inserted.createdAt());
        }
        if (grouped instanceof GroupOutcome.Failed failed) {
            throw new StorageException("storing the job", failed.cause());
        }
        boolean insertFirst = grouped instanceof GroupOutcome.InsertAlone;
        try (Connection c = dataSource.getConnection()) {
            // a second attempt only when the identity was registered between the two statements
            for (int attempt = 0; attempt < 2; attempt++) {
                if (insertFirst || attempt > 0) {
                    Optional<Instant> created = tryInsert(c, job);
                    if (created.isPresent()) {
                        return new Insertion.Created(jobId, created.get());
                    }
                }
                Optional<Insertion> explained = explainMiss(c, job.pubkey(), envelope);
                if (explained.isPresent()) {
                    return explained.get();
                }
            }
            if (quota.enabled()) {
                // refused twice by a bucket that refilled in between: the key is at its limit
                return new Insertion.RateLimited(TokenBucketMath.nanosUntilOneToken(0, quota.rate()));
            }
            throw new SQLException("job for nonce neither inserted nor found");
        } catch (SQLException e) {
            throw new StorageException("storing the job", e);
        }
    }

    /** Inserts queued behind the running statement (0 when grouping is off); for tests. */
    int queuedInserts() {
        return groups == null ? 0 : groups.waitingCount();
    }

    /** Runs one group: a lone job with the single-row statement, several with one multi-row statement. */
    private List<GroupOutcome> insertGroup(List<NewJob> jobs) {
        ConnectionFailure down = lastConnectionFailure;
        if (down != null && jobs.stream().anyMatch(j -> j.queuedAt() - down.at() < 0)) {
            // a job of this group was already waiting while the previous group spent the whole connection timeout
            // finding the database unreachable: answer the group now instead of making that job wait a second
            // timeout. Any, not all: a request that arrived after the failure was recorded (a client whose 503
            // came back before the next group was formed) shares the answer of a failure a moment old; the group
            // after this one holds only requests that arrived after it, so it tries the database again.
            return jobs.stream().<GroupOutcome>map(j -> new GroupOutcome.Failed(down.cause())).toList();
        }
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            lastConnectionFailure = new ConnectionFailure(System.nanoTime(), e);
            // no connection for the group means none for its members either
            return jobs.stream().<GroupOutcome>map(j -> new GroupOutcome.Failed(e)).toList();
        }
        if (jobs.size() == 1) {
            try (c) {
                Optional<Instant> created = tryInsert(c, jobs.get(0));
                return List.of(created.<GroupOutcome>map(GroupOutcome.Inserted::new).orElse(GroupOutcome.Missed.INSTANCE));
            } catch (SQLException e) {
                return List.of(new GroupOutcome.Failed(e));
            }
        }
        try (c) {
            Map<String, Instant> created = tryInsertAll(c, jobs);
            List<GroupOutcome> outcomes = new ArrayList<>(jobs.size());
            for (NewJob j : jobs) {
                Instant at = created.get(j.jobId().value());
                outcomes.add(at != null ? new GroupOutcome.Inserted(at) : GroupOutcome.Missed.INSTANCE);
            }
            return outcomes;
        } catch (SQLException e) {
            // the statement rolled back as a whole; alone, only the offending job fails
            LOG.warn("group insert of {} jobs failed ({}); inserting them one by one", jobs.size(), e.toString());
            return jobs.stream().<GroupOutcome>map(j -> GroupOutcome.InsertAlone.INSTANCE).toList();
        }
    }

    private Optional<Instant> tryInsert(Connection c, NewJob job) throws SQLException {
        return Optional.ofNullable(tryInsertAll(c, List.of(job)).get(job.jobId().value()));
    }

    /** Inserts the jobs in one statement; returns created_at by job id for the rows it inserted. */
    private Map<String, Instant> tryInsertAll(Connection c, List<NewJob> jobs) throws SQLException {
        int n = jobs.size();
        String[][] columns = new String[11][n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            VerifiedEnvelope envelope = job.envelope();
            columns[0][i] = job.jobId().value();
            columns[1][i] = job.pubkey();
            columns[2][i] = envelope.nonce();
            columns[3][i] = envelope.recordId().orElse(null);
            columns[4][i] = envelope.envelope().signedPayload();
            columns[5][i] = envelope.envelope().signature();
            columns[6][i] = envelope.payloadHashHex();
            columns[7][i] = job.body() == null ? null : job.body().text();
            columns[8][i] = job.body() == null ? null : job.body().sha256();
            columns[9][i] = job.mode().wire();
            // the nonce is guarded while the envelope can still be accepted
            columns[10][i] = envelope.createdAt().plus(ttl).toString();
        }
        try (PreparedStatement ps = c.prepareStatement(quota.enabled() ? INSERT_GROUP_WITH_QUOTA : INSERT_GROUP)) {
            for (int col = 0; col < columns.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", columns[col]));
            }
            if (quota.enabled()) {
                double[] bucket = {quota.burst(), quota.burst(), quota.burst(),
                        quota.burst(), quota.rate(), quota.burst(), quota.rate(), quota.burst(), quota.rate(),
                        quota.accountBurst(), quota.accountBurst(), quota.accountBurst(), quota.accountBurst(), quota.accountRate(),
                        quota.accountBurst(), quota.accountRate(), quota.accountBurst(), quota.accountRate()};
                for (int i = 0; i < bucket.length; i++) {
                    ps.setDouble(columns.length + 1 + i, bucket[i]);
                }
            }
            Map<String, Instant> created = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    created.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
            return created;
        }
    }

    /** Why nothing was inserted; empty when the key is active and the nonce free (a race: try again). */
    private Optional<Insertion> explainMiss(Connection c, String pubkey, VerifiedEnvelope envelope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXPLAIN_MISS)) {
            ps.setDouble(1, quota.burst());
            ps.setDouble(2, quota.rate());
            ps.setDouble(3, quota.burst());
            ps.setDouble(4, quota.accountBurst());
            ps.setDouble(5, quota.accountRate());
            ps.setDouble(6, quota.accountBurst());
            ps.setString(7, envelope.nonce());
            ps.setString(8, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(new Insertion.UnknownIdentity());
                }
                if ("revoked".equals(rs.getString(1))) {
                    return Optional.of(new Insertion.RevokedIdentity());
                }
                String existing = rs.getString(2);
                String guardedFor = rs.getString(9);
                if (existing == null && guardedFor != null) {
                    // the nonce's guard names a job that was never inserted: one the previous release's intake skipped
                    // on V58's schema, whose old unique key held a job of this nonce from before the guard's window (a
                    // guard and its job are written in one statement, so no job in progress looks like this). It
                    // guards nothing: drop it, and the next attempt inserts the job
                    dropGuardWithoutJob(c, pubkey, envelope.nonce(), guardedFor);
                    return Optional.empty();
                }
                if (existing == null) {
                    double level = rs.getDouble(6);
                    long credits = rs.getLong(7);
                    if (!rs.wasNull() && credits < 1) {
                        return Optional.of(new Insertion.CreditsExhausted());
                    }
                    if (quota.enabled() && level < 1) {
                        double rate = rs.getBoolean(8) ? quota.accountRate() : quota.rate();
                        return Optional.of(new Insertion.RateLimited(TokenBucketMath.nanosUntilOneToken(level, rate)));
                    }
                    return Optional.empty();
                }
                return Optional.of(existing(envelope, existing, rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
    }

    private static void dropGuardWithoutJob(Connection c, String pubkey, String nonce, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM publish_nonces g WHERE g.nonce_key = nonce_key(?, ?) AND g.job_id = ?
                  AND NOT EXISTS (SELECT 1 FROM publish_jobs j WHERE j.job_id = g.job_id)""")) {
            ps.setString(1, pubkey);
            ps.setString(2, nonce);
            ps.setString(3, jobId);
            ps.executeUpdate();
        }
    }

    /** The answer to a request whose nonce has a job: that job, its status and mode, and whether the payload is the same. */
    private static Insertion existing(VerifiedEnvelope envelope, String jobId, String payloadHash, String status, String mode) {
        return new Insertion.Existing(JobId.parse(jobId), status, envelope.payloadHashHex().equals(payloadHash),
                PublishMode.fromWire(mode).orElse(PublishMode.RECORD));
    }

    /** A job waiting to be inserted; {@code queuedAt} is its {@link System#nanoTime()} when the request submitted it. */
    private record NewJob(JobId jobId, VerifiedEnvelope envelope, AcceptedBody body, PublishMode mode, String pubkey,
                          long queuedAt) {
        NewJob(JobId jobId, VerifiedEnvelope envelope, AcceptedBody body, PublishMode mode) {
            this(jobId, envelope, body, mode, envelope.publicKey().hex(), System.nanoTime());
        }
    }

    private record ConnectionFailure(long at, SQLException cause) {
    }

    /** What the group statement did for one job. */
    private sealed interface GroupOutcome {
        /** Inserted and committed. */
        record Inserted(Instant createdAt) implements GroupOutcome { }

        /** Not inserted (unknown or revoked key, nonce taken): explain it as a lone insert would. */
        enum Missed implements GroupOutcome { INSTANCE }

        /** The group statement failed as a whole: insert this job alone. */
        enum InsertAlone implements GroupOutcome { INSTANCE }

        /** The database could not be used at all (no connection, or a lone insert failed). */
        record Failed(SQLException cause) implements GroupOutcome { }
    }
}
