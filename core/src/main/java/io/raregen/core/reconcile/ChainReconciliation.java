package io.raregen.core.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.jobs.JobTransactionBytes;
import io.raregen.core.jobs.Spends;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings a database restored to an earlier point back in line with the chain ({@code raregen ops reconcile},
 * docs/OPERATIONS.md "Restore drill"). The chain is the truth about what was published and spent; the restored
 * database forgot whatever happened after its point in time. Run it while no broadcaster runs.
 *
 * <ol>
 *   <li><b>Stored transactions.</b> Every {@code signed}/{@code sent} job's transaction is looked up. A
 *   {@code signed} one the chain has → {@code sent} with its inputs spent and its change in the pool, exactly as
 *   the broadcaster records an acceptance ({@link Kind#SIGNED_JOB_ON_CHAIN}). One the chain does not know is left
 *   for the broadcaster to send again, same bytes ({@link Kind#JOB_NOT_ON_CHAIN}).</li>
 *   <li><b>Pool outputs.</b> Every {@code available}/{@code reserved} output (and every change output found on the
 *   way) is looked up. Spent by a transaction the database stores → {@code spent}
 *   ({@link Kind#OUTPUT_SPENT_BY_OURS}). Spent by a transaction carrying the record of a job the database still holds
 *   unpublished → that transaction is attached to the job (sent, its bytes, its spends, its change), so the
 *   broadcaster never publishes the record a second time ({@link Kind#PUBLISHED_AFTER_BACKUP},
 *   {@link Kind#REPLACED_AFTER_BACKUP}). Spent by a transaction without a record of ours → {@code retired}
 *   ({@link Kind#OUTPUT_SPENT_ELSEWHERE}). A record whose job the database does not hold, or anything contradictory,
 *   is reported and left alone ({@link Kind#RECORD_WITHOUT_JOB}, {@link Kind#CONFLICT}).</li>
 * </ol>
 *
 * Every change is one database transaction guarded by the state it expects (a second run, or a run racing a
 * writer, changes nothing twice); job transitions carry the reason {@code reconcile: …} in
 * {@code publish_job_transitions}. The pool's conservation audit balances afterwards: attached transactions add
 * their fee to the fees paid and their change to the pool; retired outputs count as retired.
 */
public final class ChainReconciliation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one finding is about. */
    public enum Kind {
        /** A signed job whose transaction the chain has: recorded sent, inputs spent, change added. */
        SIGNED_JOB_ON_CHAIN(true, false),
        /** A queued/processing job whose record the chain holds in a transaction spending our pool: attached. */
        PUBLISHED_AFTER_BACKUP(true, false),
        /** A signed/sent job whose stored transaction never reached the chain, re-signed after the backup: replaced. */
        REPLACED_AFTER_BACKUP(true, false),
        /** A pool output spent by a transaction the database stores: marked spent. */
        OUTPUT_SPENT_BY_OURS(true, false),
        /** A pool output spent by a transaction without a record of ours: retired. */
        OUTPUT_SPENT_ELSEWHERE(true, false),
        /** A signed/sent job whose transaction the chain does not know: the broadcaster re-sends the same bytes. */
        JOB_NOT_ON_CHAIN(false, false),
        /** Our output spent by a transaction carrying a record whose job the database does not hold: needs a person. */
        RECORD_WITHOUT_JOB(false, true),
        /** The database and the chain disagree in a way this command does not settle: needs a person. */
        CONFLICT(false, true);

        private final boolean changes;
        private final boolean attention;

        Kind(boolean changes, boolean attention) {
            this.changes = changes;
            this.attention = attention;
        }

        /** True when {@code --apply} changes the database for it. */
        public boolean changes() {
            return changes;
        }

        /** True when an operator has to look at it. */
        public boolean attention() {
            return attention;
        }
    }

    /**
     * One difference between the database and the chain. {@code jobId} and {@code outpoint} are null when they do
     * not apply; {@code txid} is the transaction the finding is about (on the chain, or the stored one).
     */
    public record Finding(Kind kind, JobId jobId, Outpoint outpoint, Txid txid, String detail, boolean applied) {
    }

    /** The outcome of one run. */
    public record Report(boolean apply, int jobsChecked, int outputsChecked, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** Findings that change the database (applied or, in a dry run, to apply). */
        public long changes() {
            return findings.stream().filter(f -> f.kind().changes()).count();
        }

        /** Findings --apply could not write (the database changed under it). */
        public long notApplied() {
            return apply ? findings.stream().filter(f -> f.kind().changes() && !f.applied()).count() : 0;
        }

        public long attention() {
            return findings.stream().filter(f -> f.kind().attention()).count();
        }

        /** True when the database agrees with the chain after this run (nothing to change, nothing for a person). */
        public boolean inAgreement() {
            return attention() == 0 && (apply ? notApplied() == 0 : changes() == 0);
        }
    }

    /** A pool row as this run sees it (read from the database, or created by an attachment of this run). */
    private record PoolRow(Outpoint outpoint, long satoshis, byte[] script, String purpose, String status, int depth,
                           Txid boundTo) {
    }

    private record JobRow(JobId jobId, String status, Txid txid, String signedPayload, String signature) {
    }

    private final Connection c;
    private final ChainReader chain;
    private final boolean apply;
    private final List<Finding> findings = new ArrayList<>();
    private final Deque<Outpoint> work = new ArrayDeque<>();
    private final Set<Outpoint> seen = new HashSet<>();
    /** Outpoints this run decided (spent or retired), written or, in a dry run, to be written. */
    private final Set<Outpoint> settled = new HashSet<>();
    /** Pool rows created by this run (change of attached or accepted transactions). */
    private final Map<Outpoint, PoolRow> created = new HashMap<>();
    /** Transactions of ours this run found on the chain. */
    private final Set<Txid> ours = new HashSet<>();
    /** Jobs this run gave a transaction (attached, or found accepted). */
    private final Map<JobId, Txid> published = new HashMap<>();
    /** Stored transactions the chain does not know, by job: reported at the end unless replaced meanwhile. */
    private final Map<JobId, JobRow> missing = new LinkedHashMap<>();
    /**
     * The jobs this database holds unpublished (queued, processing, signed, sent), by their client's key and nonce:
     * the only jobs a record on the chain can be attached to. Read once at the start, so that no record is looked up
     * in the whole history by its nonce.
     */
    private final Map<String, JobId> unpublished = new HashMap<>();
    /** The jobs of the stored transactions (signed, sent) and of those this run attached, by txid. */
    private final Map<Txid, JobId> storedJobs = new HashMap<>();
    private byte[] poolScript;
    private int jobsChecked;
    private int outputsChecked;

    private ChainReconciliation(Connection c, ChainReader chain, boolean apply) {
        this.c = c;
        this.chain = chain;
        this.apply = apply;
    }

    /**
     * Compares the database behind {@code c} with the chain; with {@code apply}, writes every change (each in its
     * own transaction). The connection's auto-commit setting is restored afterwards.
     */
    public static Report run(Connection c, ChainReader chain, boolean apply) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            return new ChainReconciliation(c, chain, apply).run();
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    private Report run() throws SQLException {
        queuedJobs();
        storedTransactions();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT txid, vout FROM utxos WHERE status IN ('available', 'reserved') ORDER BY id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    enqueue(new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2)));
                }
            }
        }
        c.commit();
        while (!work.isEmpty()) {
            poolOutput(work.poll());
        }
        for (JobRow j : missing.values()) {
            if (!published.containsKey(j.jobId())) {
                findings.add(new Finding(Kind.JOB_NOT_ON_CHAIN, j.jobId(), null, j.txid(),
                        j.status() + " job's transaction is not on the chain; its inputs are unspent there, so the broadcaster "
                                + "sends the stored bytes again", false));
            }
        }
        return new Report(apply, jobsChecked, outputsChecked, findings);
    }

    // ------------------------------------------------------------------ stored transactions

    /** The queued and processing jobs' keys and nonces (the claim's partial index holds them). */
    private void queuedJobs() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT job_id, pubkey, nonce FROM publish_jobs WHERE status IN ('queued', 'processing')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                unpublished.put(nonceKey(rs.getString(2), rs.getString(3)), JobId.parse(rs.getString(1)));
            }
        } finally {
            c.commit();
        }
    }

    private static String nonceKey(String pubkey, String nonce) {
        return pubkey + '\n' + nonce;
    }

    private void storedTransactions() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                // a signed row of a sent batch is sent (V47)
                "SELECT j.job_id, CASE WHEN b.sent_at IS NOT NULL THEN 'sent' ELSE j.status END, j.txid, "
                        + JobTransactionBytes.rawTxOf("j") + ", j.signed_payload, j.signature, j.pubkey, j.nonce FROM publish_jobs j "
                        + "LEFT JOIN publish_batches b ON j.status = 'signed' AND j.mode = 'record' "
                        + "AND b.batch_id = j.processing_batch_id AND b.sent_at IS NOT NULL "
                        // an anchor-mode job in flight has no transaction of its own: its batch's is in anchor_batches
                        + "WHERE j.status IN ('signed', 'sent') AND j.txid IS NOT NULL ORDER BY j.job_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JobRow j = new JobRow(JobId.parse(rs.getString(1)), rs.getString(2), Txid.fromHex(rs.getString(3)),
                            rs.getString(5), rs.getString(6));
                    rows.add(new Object[]{j, rs.getBytes(4)});
                    unpublished.put(nonceKey(rs.getString(7), rs.getString(8)), j.jobId());
                    storedJobs.put(j.txid(), j.jobId());
                }
            }
        }
        c.commit();
        for (Object[] r : rows) {
            JobRow j = (JobRow) r[0];
            byte[] raw = (byte[]) r[1];
            jobsChecked++;
            Optional<ChainReader.ChainTx> onChain = chain.transaction(j.txid());
            if (onChain.isEmpty()) {
                missing.put(j.jobId(), j);
                missingInputs.put(j.txid(), inputs(RawTransaction.parse(raw)));
                continue;
            }
            ours.add(j.txid());
            published.put(j.jobId(), j.txid());
            if (!j.status().equals("signed")) {
                continue;
            }
            RawTransaction tx = RawTransaction.parse(raw);
            List<Outpoint> inputs = inputs(tx);
            List<PoolRow> change = change(tx, inputs, onChain.get());
            String where = onChain.get().mined() ? "mined at height " + onChain.get().blockHeight() : "in the mempool";
            boolean done = apply && write(() -> {
                Spends.leaveThePool(c, inputs);
                insertChange(change);
                return updateJob("UPDATE publish_jobs SET status = 'sent', sent_at = COALESCE(sent_at, now()) "
                        + "WHERE job_id = ? AND txid = ? AND status = 'signed'", j.jobId(), j.txid()) == 1;
            }, "reconcile: the network accepted the stored transaction (" + where + ")");
            findings.add(new Finding(Kind.SIGNED_JOB_ON_CHAIN, j.jobId(), null, j.txid(),
                    "signed → sent: the chain has the stored transaction (" + where + "); " + inputs.size() + " input(s) spent, "
                            + change.size() + " change output(s) into the pool", done));
            settled.addAll(inputs);
            addCreated(change);
        }
    }

    // ------------------------------------------------------------------ pool outputs

    private void poolOutput(Outpoint o) throws SQLException {
        if (settled.contains(o)) {
            return;
        }
        outputsChecked++;
        Optional<Txid> spentBy = chain.spender(o);
        if (spentBy.isEmpty()) {
            return;
        }
        Txid s = spentBy.get();
        PoolRow row = row(o);
        if (row == null) {
            return; // neither in the database nor created by this run: not ours to settle
        }
        if (ours.contains(s) || poolOrAnchorTransaction(s)) {
            spentByOurs(o, row, s);
            return;
        }
        byte[] raw = chain.rawTransaction(s);
        RawTransaction tx = RawTransaction.parse(raw);
        if (!tx.txid().equals(s)) {
            throw new ChainReader.ChainException("CHAIN_BAD_RESPONSE", "the chain's bytes of " + s.hex() + " hash to "
                    + tx.txid().hex(), null);
        }
        Optional<RecordExtractor.Extracted> record;
        try {
            record = RecordExtractor.fromRawTransaction(raw);
        } catch (IllegalArgumentException e) {
            record = Optional.empty();
        }
        if (record.isEmpty()) {
            if (row.boundTo() != null) {
                conflict(null, o, s, "pool output is an input of stored transaction " + row.boundTo().hex()
                        + " but the chain spent it in " + s.hex() + ", which carries no record of ours");
                return;
            }
            retire(o, s, row, "the chain spent it in a transaction that carries no record of ours");
            return;
        }
        Envelope env = record.get().envelope();
        JobRow job = job(env);
        if (job == null) {
            findings.add(new Finding(Kind.RECORD_WITHOUT_JOB, null, o, s,
                    "the chain spent it in a transaction carrying a record of " + env.pubkey() + " (nonce " + nonce(env)
                            + ") that no unpublished job in this database holds, nor a job whose nonce is still guarded: "
                            + "accepted after the backup? Re-create the job by hand before the client retries, or the record "
                            + "is published twice", false));
            if (row.boundTo() == null) {
                retire(o, s, row, "spent by " + s.hex() + ", a record without a job here");
            }
            return;
        }
        if (s.equals(job.txid())) {
            // a finished job's own transaction (its inputs still in a pool restored from two moments)
            storedJobs.put(s, job.jobId());
            spentByOurs(o, row, s);
            return;
        }
        Txid already = published.get(job.jobId());
        if (already != null) {
            if (!already.equals(s)) {
                conflict(job.jobId(), o, s, "job's record is on the chain twice: in " + already.hex() + " and in " + s.hex());
            }
            return;
        }
        boolean unpublished = (job.status().equals("queued") || job.status().equals("processing")) && job.txid() == null;
        boolean replaced = (job.status().equals("signed") || job.status().equals("sent")) && job.txid() != null
                && missing.containsKey(job.jobId());
        if (!unpublished && !replaced) {
            conflict(job.jobId(), o, s, "job is " + job.status() + (job.txid() == null ? "" : " with transaction " + job.txid().hex())
                    + " but the chain holds its record in " + s.hex());
            return;
        }
        attach(job, replaced ? job.txid() : null, s, raw, tx);
    }

    /** A pool output the chain spent in a transaction the database stores: it leaves the pool, with its spends row. */
    private void spentByOurs(Outpoint o, PoolRow row, Txid s) throws SQLException {
        if (row.boundTo() != null && !row.boundTo().equals(s)) {
            conflict(null, o, s, "pool output is an input of stored transaction " + row.boundTo().hex()
                    + " but the chain spent it in " + s.hex() + ", another transaction the database stores");
            return;
        }
        boolean done = apply && write(() -> {
            if (row.boundTo() == null) {
                // what stays of a spent output is its spends row (V51): write the one the store did not
                recordSpend(row, s);
            }
            return Spends.leaveThePool(c, List.of(o)) == 1;
        }, null);
        findings.add(new Finding(Kind.OUTPUT_SPENT_BY_OURS, null, o, s,
                row.status() + " → spent: the chain spent it in a transaction the database stores", done));
        settled.add(o);
    }

    private void attach(JobRow job, Txid previous, Txid s, byte[] raw, RawTransaction tx) throws SQLException {
        List<Outpoint> inputs = inputs(tx);
        long in = 0;
        List<PoolRow> rows = new ArrayList<>();
        for (Outpoint i : inputs) {
            PoolRow r = settled.contains(i) ? null : row(i);
            if (r == null || !(r.status().equals("available") || r.status().equals("reserved"))
                    || (r.boundTo() != null && !r.boundTo().equals(previous))) {
                conflict(job.jobId(), i, s, "the chain's transaction " + s.hex() + " carries this job's record, but its input "
                        + i + " is not a free output of the pool here (" + (r == null ? "unknown or already settled"
                        : r.status() + (r.boundTo() == null ? "" : ", input of stored " + r.boundTo().hex())) + ")");
                return;
            }
            rows.add(r);
            in += r.satoshis();
        }
        long out = 0;
        for (TxOutput t : tx.outputs()) {
            out += t.value().value();
        }
        long fee = in - out;
        if (fee < 0) {
            conflict(job.jobId(), null, s, "transaction " + s.hex() + " pays out more than the pool inputs the database knows");
            return;
        }
        Optional<ChainReader.ChainTx> onChain = chain.transaction(s);
        if (onChain.isEmpty()) {
            return; // spent in a transaction the chain no longer has (a reorg between two reads): next run
        }
        List<PoolRow> change = change(tx, inputs, onChain.get());
        String where = onChain.get().mined() ? "mined at height " + onChain.get().blockHeight() : "in the mempool";
        Kind kind = previous == null ? Kind.PUBLISHED_AFTER_BACKUP : Kind.REPLACED_AFTER_BACKUP;
        boolean done = apply && write(() -> {
            if (previous != null) {
                JobTransactionBytes.delete(c, job.jobId());
                if (updateJob("UPDATE publish_jobs SET status = 'processing', raw_tx = NULL, txid = NULL, fee_sats = NULL, "
                        + "signed_at = NULL, sending_started_at = NULL WHERE job_id = ? AND txid = ? AND status IN ('signed', 'sent')",
                        job.jobId(), previous) != 1) {
                    return false;
                }
                Spends.deleteForJob(c, job.jobId(), previous);
                // inputs of the discarded transaction that the chain's one does not spend go back to the pool; the
                // pool walk checks each of them against the chain again
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE utxos u SET status = 'available', reserved_at = NULL, reserved_until = NULL, reserved_by = NULL "
                                + "WHERE u.status = 'reserved' AND NOT EXISTS (SELECT 1 FROM spends s WHERE s.outpoint_txid = u.txid "
                                + "AND s.outpoint_vout = u.vout) AND (u.txid, u.vout) IN (SELECT s.outpoint_txid, s.outpoint_vout "
                                + "FROM unnest(?::char(64)[], ?::int[]) AS s(outpoint_txid, outpoint_vout))")) {
                    List<Outpoint> prev = missingInputs.getOrDefault(previous, List.of());
                    ps.setArray(1, c.createArrayOf("bpchar", prev.stream().map(p -> p.txid().hex()).toArray()));
                    ps.setArray(2, c.createArrayOf("int4", prev.stream().map(Outpoint::vout).toArray()));
                    ps.executeUpdate();
                }
            } else if (job.status().equals("queued")) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE publish_jobs SET status = 'processing', "
                        + "processing_at = now() WHERE job_id = ? AND status = 'queued' AND txid IS NULL")) {
                    ps.setString(1, job.jobId().value());
                    if (ps.executeUpdate() != 1) {
                        return false;
                    }
                }
            }
            JobTransactionBytes.insert(c, List.of(job.jobId()), List.of(raw));
            try (PreparedStatement ps = c.prepareStatement(
                    // out of its old batch: were that batch sent, the job would count as sent before the next statement
                    "UPDATE publish_jobs SET status = 'signed', txid = ?, fee_sats = ?, signed_at = now(), processing_batch_id = NULL "
                            + "WHERE job_id = ? AND status = 'processing' AND txid IS NULL")) {
                ps.setString(1, s.hex());
                ps.setLong(2, fee);
                ps.setString(3, job.jobId().value());
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            Spends spends = new Spends();
            for (PoolRow r : rows) {
                spends.add(r.outpoint(), new Satoshis(r.satoshis()), r.script(), s, job.jobId());
            }
            spends.insert(c);
            if (Spends.leaveThePool(c, inputs) != inputs.size()) {
                return false;
            }
            insertChange(change);
            return updateJob("UPDATE publish_jobs SET status = 'sent', sent_at = now(), "
                    + "sending_started_at = COALESCE(sending_started_at, now()) WHERE job_id = ? AND txid = ? AND status = 'signed'",
                    job.jobId(), s) == 1;
        }, "reconcile: " + (previous == null ? "published after the backup" : "re-signed after the backup, replaces "
                + previous.hex()) + " (" + where + ")");
        findings.add(new Finding(kind, job.jobId(), null, s,
                job.status() + " → sent: the chain holds this job's record in this transaction (" + where + "), "
                        + (previous == null ? "" : "not the stored " + previous.hex() + ", ") + "spending " + inputs.size()
                        + " pool output(s); attached with fee " + Satoshis.of(fee) + " and " + change.size() + " change output(s)",
                done));
        settled.addAll(inputs);
        ours.add(s);
        published.put(job.jobId(), s);
        storedJobs.put(s, job.jobId());
        addCreated(change);
    }

    private void retire(Outpoint o, Txid s, PoolRow row, String why) throws SQLException {
        boolean done = apply && write(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE utxos SET status = 'retired', spent_by_txid = ?, spent_at = now(),
                           reserved_at = NULL, reserved_until = NULL, reserved_by = NULL,
                           dirty = TRUE, dirty_reason = ?, dirty_at = COALESCE(dirty_at, now())
                    WHERE txid = ? AND vout = ? AND status IN ('available', 'reserved')
                      AND NOT EXISTS (SELECT 1 FROM spends WHERE outpoint_txid = ? AND outpoint_vout = ?)""")) {
                ps.setString(1, s.hex());
                ps.setString(2, "reconcile: spent by " + s.hex());
                ps.setString(3, o.txid().hex());
                ps.setInt(4, o.vout());
                ps.setString(5, o.txid().hex());
                ps.setInt(6, o.vout());
                return ps.executeUpdate() == 1;
            }
        }, null);
        findings.add(new Finding(Kind.OUTPUT_SPENT_ELSEWHERE, null, o, s, row.status() + " → retired (" + Satoshis.of(row.satoshis())
                + "): " + why, done));
        settled.add(o);
    }

    private void conflict(JobId job, Outpoint o, Txid s, String detail) {
        findings.add(new Finding(Kind.CONFLICT, job, o, s, detail, false));
        if (o != null) {
            settled.add(o);
        }
    }

    // ------------------------------------------------------------------ reads

    private void enqueue(Outpoint o) {
        if (seen.add(o)) {
            work.add(o);
        }
    }

    private void addCreated(List<PoolRow> change) {
        for (PoolRow r : change) {
            created.put(r.outpoint(), r);
            enqueue(r.outpoint());
        }
    }

    private PoolRow row(Outpoint o) throws SQLException {
        PoolRow made = created.get(o);
        if (made != null) {
            return made;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT u.satoshis, u.script_pub_key, u.purpose, u.status, u.chain_depth, s.spending_txid FROM utxos u "
                        + "LEFT JOIN spends s ON s.outpoint_txid = u.txid AND s.outpoint_vout = u.vout "
                        + "WHERE u.txid = ? AND u.vout = ?")) {
            ps.setString(1, o.txid().hex());
            ps.setInt(2, o.vout());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String bound = rs.getString(6);
                return new PoolRow(o, rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        bound == null ? null : Txid.fromHex(bound));
            }
        } finally {
            c.commit();
        }
    }

    /**
     * A transaction of the pool's own (a split, a sweep) or an anchor batch's. The jobs' transactions this run can meet
     * as spenders of pool outputs are the stored ones ({@link #ours} once found on the chain): a job mined before the
     * backup had its inputs leave the pool with it.
     */
    private boolean poolOrAnchorTransaction(Txid s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pool_transactions WHERE txid = ?) "
                + "OR EXISTS (SELECT 1 FROM anchor_batches WHERE txid = ?)")) {
            ps.setString(1, s.hex());
            ps.setString(2, s.hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } finally {
            c.commit();
        }
    }

    /**
     * The job whose record {@code env} is: an unpublished one ({@link #unpublished}), or one whose nonce is still
     * guarded ({@code publish_nonces}, by its primary key: any job accepted within the intake's TTL and the guard's
     * grace, whatever its state). Null when neither holds it, or when the job's signed bytes are not the record's.
     */
    private JobRow job(Envelope env) throws SQLException {
        String nonce = nonce(env);
        if (nonce == null) {
            return null;
        }
        JobId id = unpublished.get(nonceKey(env.pubkey(), nonce));
        try (PreparedStatement ps = c.prepareStatement("SELECT j.job_id, s.status, j.txid, j.signed_payload, j.signature "
                + "FROM publish_jobs j JOIN job_states s USING (job_id) WHERE j.job_id = "
                + (id != null ? "?" : "(SELECT job_id FROM publish_nonces WHERE nonce_key = nonce_key(?, ?))"))) {
            if (id != null) {
                ps.setString(1, id.value());
            } else {
                ps.setString(1, env.pubkey());
                ps.setString(2, nonce);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                JobRow j = new JobRow(JobId.parse(rs.getString(1)), rs.getString(2),
                        rs.getString(3) == null ? null : Txid.fromHex(rs.getString(3)), rs.getString(4), rs.getString(5));
                // the same signed bytes, not only the same nonce: anything else is not this job's record
                return j.signedPayload().equals(env.signedPayload()) && j.signature().equals(env.signature()) ? j : null;
            }
        } finally {
            c.commit();
        }
    }

    private static String nonce(Envelope env) {
        try {
            String n = JSON.readTree(env.signedPayload()).path("nonce").asText(null);
            return n == null || n.isEmpty() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    /** Inputs of stored transactions the chain does not know, by txid (read from the stored bytes). */
    private final Map<Txid, List<Outpoint>> missingInputs = new HashMap<>();

    private static List<Outpoint> inputs(RawTransaction tx) {
        List<Outpoint> out = new ArrayList<>();
        for (RawTransaction.Input i : tx.inputs()) {
            out.add(i.prevout());
        }
        return out;
    }

    /**
     * The outputs of {@code tx} that return to the pool: those paying the pool's script (the script of its publish
     * inputs), as the broadcaster's result applier adds them. Depth 0 once mined, else one more than the deepest input.
     */
    private List<PoolRow> change(RawTransaction tx, List<Outpoint> inputs, ChainReader.ChainTx onChain) throws SQLException {
        int depth = 0;
        List<byte[]> scripts = new ArrayList<>();
        for (Outpoint i : inputs) {
            PoolRow r = row(i);
            if (r != null) {
                depth = Math.max(depth, r.depth());
                if (r.purpose().equals("publish")) {
                    scripts.add(r.script());
                }
            }
        }
        if (scripts.isEmpty()) {
            scripts.add(poolScript());
        }
        List<PoolRow> out = new ArrayList<>();
        for (int v = 0; v < tx.outputs().size(); v++) {
            TxOutput o = tx.outputs().get(v);
            if (o.value().value() < 1) {
                continue;
            }
            for (byte[] s : scripts) {
                if (s != null && Arrays.equals(s, o.script())) {
                    out.add(new PoolRow(new Outpoint(tx.txid(), v), o.value().value(), o.script(), "publish", "available",
                            onChain.mined() ? 0 : depth + 1, null));
                    break;
                }
            }
        }
        return out;
    }

    private byte[] poolScript() throws SQLException {
        if (poolScript == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT script_pub_key FROM utxos WHERE purpose = 'publish' ORDER BY id DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                poolScript = rs.next() ? rs.getBytes(1) : new byte[0];
            } finally {
                c.commit();
            }
        }
        return poolScript;
    }

    // ------------------------------------------------------------------ writes

    private interface Write {
        boolean run() throws SQLException;
    }

    /** One database transaction: commits when {@code w} says it could do all of it, else rolls back. */
    private boolean write(Write w, String reason) throws SQLException {
        try {
            if (reason != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config('raregen.transition_reason', ?, true)")) {
                    ps.setString(1, reason.length() > 500 ? reason.substring(0, 500) : reason);
                    ps.execute();
                }
            }
            if (w.run()) {
                c.commit();
                return true;
            }
            c.rollback();
            return false;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** A spends row for {@code row}'s output, spent by {@code spender} (the job's, when it is a job's transaction). */
    private void recordSpend(PoolRow row, Txid spender) throws SQLException {
        new Spends().add(row.outpoint(), new Satoshis(row.satoshis()), row.script(), spender, storedJobs.get(spender))
                .insertMissing(c);
    }

    private void insertChange(List<PoolRow> change) throws SQLException {
        for (PoolRow r : change) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
                    SELECT o.txid, o.vout, ?, ?, ?, 'available', ? FROM (VALUES (?::char(64), ?::int)) AS o(txid, vout)
                    WHERE\s""" + Spends.NOT_SPENT + """

                    ON CONFLICT (txid, vout) DO UPDATE SET status = 'available', chain_depth = EXCLUDED.chain_depth
                     WHERE utxos.status = 'pending'""")) {
                ps.setLong(1, r.satoshis());
                ps.setBytes(2, r.script());
                ps.setString(3, r.purpose());
                ps.setInt(4, r.depth());
                ps.setString(5, r.outpoint().txid().hex());
                ps.setInt(6, r.outpoint().vout());
                ps.executeUpdate();
            }
        }
    }

    private int updateJob(String sql, JobId job, Txid txid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, job.value());
            ps.setString(2, txid.hex());
            return ps.executeUpdate();
        }
    }
}
