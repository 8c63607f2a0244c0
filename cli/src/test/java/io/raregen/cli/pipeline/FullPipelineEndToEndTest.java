package io.raregen.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.broadcaster.support.SdkCheck;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.LocalStackProcess;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline end to end through the functions app (issue #5): {@code ./raregen local} as a child process
 * (functions API, broadcaster, local chain, ElasticMQ, a fresh Postgres database), a few client keys registered over
 * HTTP, {@value #RECORDS} distinct signed records published through {@code POST /v1/publish} by {@value #CLIENTS}
 * concurrent HTTP clients, drained, then docs/ARCHITECTURE.md#invariants checked by query against the database and the chain:
 * <ul>
 *   <li><b>I1</b> every accepted job is {@code sent}/{@code mined} with a txid; the stored txid is the hash of the stored
 *   bytes; the chain's ARC API ({@code GET /v1/tx/{txid}}, asked for every txid) knows it as seen or mined.</li>
 *   <li><b>I2</b> no txid belongs to two jobs; no job ever recorded two different txids in its transitions; on the chain
 *   (its export of every accepted transaction) each job's record is in exactly one transaction.</li>
 *   <li><b>I3</b> no outpoint is an input of two transactions we signed (publish and pool transactions, parsed from the
 *   stored bytes), each input is the {@code spends} row of its own transaction, each spent pool output is marked spent
 *   by that transaction, and no outpoint is a prevout of two transactions the chain accepted.</li>
 *   <li><b>I4</b> conservation, defined precisely: let <i>before</i> and <i>after</i> be the sum of {@code utxos.satoshis}
 *   over every pool output not {@code spent} or {@code retired} (any purpose; available, reserved or pending), each read
 *   in one REPEATABLE READ snapshot taken when the pipeline is idle (no job queued/processing/signed, no pool
 *   transaction stored but unsent, and three snapshots 500 ms apart equal). Fees are the {@code fee_sats} of every
 *   publish transaction (all jobs of this fresh database) plus the {@code fee_sats} of every pool transaction (replenisher
 *   split, consolidation, sweep) stored after <i>before</i> and not rejected. Then before = after + fees. Each publish
 *   {@code fee_sats} is also checked against the chain: Σ prevout sats (as the chain saw them) − Σ outputs.</li>
 *   <li><b>I5</b> every job's transitions in {@code publish_job_transitions} (written by the {@code guard_job_transitions}
 *   trigger) start at {@code null→queued}, chain from each {@code to} to the next {@code from}, are all edges the state
 *   machine allows, and end at the job's status; and the trigger refuses a backward move ({@code sent→queued}).</li>
 * </ul>
 * Each job's transaction is decoded back to its envelope with core's {@link RecordExtractor} and must equal both the
 * stored envelope and the one the client sent. Every published transaction (and every pool transaction) is validated
 * with the official {@code @bsv/sdk} (see {@link SdkCheck}): interpreter with FORKID flags against the prevouts the chain
 * holds, byte-equal rebuild from parsed fields, record pushes equal to the envelope; three tampered controls (a changed
 * payload byte, a wrong prevout amount, a truncated transaction) must fail, so the check can fail.
 */
class FullPipelineEndToEndTest {
    static final int RECORDS = 2_000;
    static final int CLIENTS = 8;
    static final int KEYS = 3;
    /** Enough for the launcher's first split (5,000 × 100 sats) and any later replenisher round. */
    static final long FUND_SATS = 20_000_000;
    private static final Set<String> LEGAL = Set.of(
            "null>queued", "queued>processing", "processing>signed", "signed>sent", "sent>mined", "signed>mined",
            "queued>failed", "processing>failed", "signed>failed", "sent>failed",
            "processing>queued", "signed>processing", "sent>processing", "failed>queued", "queued>signed");
    private static final Set<String> CHAIN_ACCEPTED = Set.of("SEEN_ON_NETWORK", "MINED", "ACCEPTED_BY_NETWORK");

    @TempDir
    Path tmp;

    /** One published job as stored. */
    record Job(String jobId, String status, String txid, byte[] rawTx, long feeSats, Envelope stored) {
    }

    @Test
    void twoThousandRecordsPublishedThroughTheFunctionsApp_drain_andKeepInvariantsI1toI5() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Options
                .defaults(tmp.resolve("state"), "full-pipeline-e2e.log").withFundSats(FUND_SATS));
             StackDb db = new StackDb(stack.connect())) {
            IntakeClient intake = new IntakeClient(stack.apiUrl(), stack.adminToken());
            ChainClient chain = new ChainClient(stack.chainUrl());

            // GIVEN a few registered client keys
            List<KeyPair> keys = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                KeyPair key = KeyPair.generate();
                IntakeClient.Answer a = intake.register(key, "register-" + k);
                assertEquals(201, a.status(), a.body()::toString);
                keys.add(key);
            }
            // AND an idle pool deep enough for every record
            PoolSnapshot before = PoolSnapshot.whenIdle(db, Duration.ofSeconds(60));
            assertNotNull(before, "the pool did not become idle after start:\n" + stack.tail());
            assertTrue(db.await("SELECT count(*) FROM utxos WHERE purpose = 'publish' AND status = 'available' AND NOT dirty",
                    v -> v >= RECORDS, Duration.ofSeconds(30)) >= RECORDS, "the launcher's first split made enough publish UTXOs");
            assertEquals(0, db.scalar("SELECT count(*) FROM publish_jobs"), "a fresh database");

            // WHEN 2,000 distinct signed records are published through the functions app by concurrent clients
            List<Envelope> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                ObjectNode record = Json.MAPPER.createObjectNode().put("title", "pipeline record " + i).put("n", i);
                record.putArray("tags").add("e2e").add("pipeline");
                sent.add(IntakeClient.publishEnvelope(keys.get(i % KEYS), record, "pipeline-" + i, "pipeline-" + i));
            }
            long t0 = System.nanoTime();
            List<IntakeClient.Answer> answers = intake.publishAll(sent, CLIENTS);
            long published = System.nanoTime();

            // THEN every one is accepted with 202 and its own job
            Map<String, Envelope> sentByJob = new LinkedHashMap<>();
            for (IntakeClient.Answer a : answers) {
                assertEquals(202, a.status(), () -> "record " + a.index() + ": " + a.body());
                assertNotNull(a.jobId(), a.body()::toString);
                assertEquals(null, sentByJob.put(a.jobId(), sent.get(a.index())), "one job per record");
            }
            assertEquals(RECORDS, sentByJob.size());

            // AND the pipeline drains: every job reaches sent (or mined)
            long done = db.await("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')", v -> v >= RECORDS,
                    Duration.ofSeconds(180));
            assertEquals(RECORDS, done, () -> "jobs by status: " + statusCounts(db) + "\n" + stack.tail());
            long drained = System.nanoTime();
            PoolSnapshot after = PoolSnapshot.whenIdle(db, Duration.ofSeconds(60));
            assertNotNull(after, "the pool did not become idle after the drain");
            System.out.printf("%d records accepted (202) in %d ms by %d clients; all sent %d ms after the first request; %s%n",
                    RECORDS, (published - t0) / 1_000_000, CLIENTS, (drained - t0) / 1_000_000, statusCounts(db));

            List<Job> jobs = loadJobs(db);
            assertEquals(sentByJob.keySet(), jobIds(jobs), "the database holds exactly the accepted jobs");
            JsonNode export = chain.export();
            Map<String, JsonNode> chainTxs = new HashMap<>();
            for (JsonNode t : export.path("transactions")) {
                chainTxs.put(t.path("txid").asText(), t);
            }

            assertI1EverySentWithATxidTheChainAccepted(jobs, chain);
            assertI2NoDoublePublication(db, jobs, sentByJob, export);
            assertI3NoOutpointSpentTwice(db, jobs, export);
            assertI4Conservation(db, jobs, before, after, chainTxs);
            assertI5StatusesOnlyMovedForward(db, jobs);
            assertRecordsDecodeToTheirEnvelopes(jobs, sentByJob);
            assertBsvSdkValidatesEveryTransaction(db, jobs, chainTxs);
        }
    }

    private static void assertI1EverySentWithATxidTheChainAccepted(List<Job> jobs, ChainClient chain) throws Exception {
        for (Job j : jobs) {
            assertTrue(Set.of("sent", "mined").contains(j.status()), j::toString);
            assertNotNull(j.txid(), j::toString);
            assertEquals(j.txid(), RawTransaction.parse(j.rawTx()).txid().hex(), "stored txid is the hash of the stored bytes");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ChainClient.TxStatus>> answers = new ArrayList<>();
            for (Job j : jobs) {
                answers.add(pool.submit(() -> chain.status(j.txid())));
            }
            for (int i = 0; i < jobs.size(); i++) {
                Job j = jobs.get(i);
                ChainClient.TxStatus s = answers.get(i).get();
                assertEquals(200, s.httpStatus(), () -> "GET /v1/tx/" + j.txid() + ": " + s.body());
                assertEquals(j.txid(), s.body().path("txid").asText());
                assertTrue(CHAIN_ACCEPTED.contains(s.txStatus()), () -> "chain accepted " + j.txid() + ": " + s.body());
            }
            // the check can fail: a txid the chain never saw is 404
            assertEquals(404, chain.status("00".repeat(32)).httpStatus());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertI2NoDoublePublication(StackDb db, List<Job> jobs, Map<String, Envelope> sentByJob, JsonNode export)
            throws SQLException {
        assertEquals(db.scalar("SELECT count(*) FROM publish_jobs WHERE txid IS NOT NULL"),
                db.scalar("SELECT count(DISTINCT txid) FROM publish_jobs WHERE txid IS NOT NULL"), "no txid for two jobs");
        assertEquals(jobs.size(), jobs.stream().map(Job::txid).distinct().count());
        assertEquals(List.of(), db.strings("""
                SELECT job_id FROM publish_job_transitions WHERE txid IS NOT NULL
                GROUP BY job_id HAVING count(DISTINCT txid) > 1"""), "a job that recorded two different txids");
        // on the chain: each job's record is in exactly one accepted transaction, and that is the job's txid
        Map<String, String> jobBySignedPayload = new HashMap<>();
        sentByJob.forEach((job, e) -> jobBySignedPayload.put(e.signedPayload(), job));
        Map<String, List<String>> chainTxidsByJob = new HashMap<>();
        for (JsonNode t : export.path("transactions")) {
            if (t.path("faucet").asBoolean()) {
                continue;
            }
            Optional<RecordExtractor.Extracted> ex = RecordExtractor.fromRawTransaction(HexBytes.of(t.path("rawTx").asText()));
            if (ex.isPresent() && jobBySignedPayload.containsKey(ex.get().envelope().signedPayload())) {
                chainTxidsByJob.computeIfAbsent(jobBySignedPayload.get(ex.get().envelope().signedPayload()), k -> new ArrayList<>())
                        .add(t.path("txid").asText());
            }
        }
        for (Job j : jobs) {
            assertEquals(List.of(j.txid()), chainTxidsByJob.get(j.jobId()), "the chain holds job " + j.jobId() + " exactly once");
        }
    }

    private static void assertI3NoOutpointSpentTwice(StackDb db, List<Job> jobs, JsonNode export) throws SQLException {
        Map<String, String> spends = new HashMap<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT outpoint_txid, outpoint_vout, spending_txid FROM spends")) {
            while (rs.next()) {
                spends.put(rs.getString(1) + ":" + rs.getInt(2), rs.getString(3));
            }
        }
        Map<String, byte[]> signed = new LinkedHashMap<>();
        for (Job j : jobs) {
            signed.put(j.txid(), j.rawTx());
        }
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT txid, raw_tx FROM pool_transactions WHERE status <> 'rejected'")) {
            while (rs.next()) {
                signed.put(rs.getString(1), rs.getBytes(2));
            }
        }
        Set<String> inputs = new HashSet<>();
        signed.forEach((txid, raw) -> {
            for (RawTransaction.Input in : RawTransaction.parse(raw).inputs()) {
                String op = in.prevout().toString();
                assertTrue(inputs.add(op), "outpoint " + op + " is an input of two transactions we signed");
                assertEquals(txid, spends.get(op), "spends row of input " + op + " names its transaction");
            }
        });
        assertEquals(0, db.scalar("""
                SELECT count(*) FROM spends s JOIN utxos u ON u.txid = s.outpoint_txid AND u.vout = s.outpoint_vout"""),
                "every pool output that is an input of an accepted transaction has left the pool (V51)");
        Set<String> chainPrevouts = new HashSet<>();
        for (JsonNode t : export.path("transactions")) {
            for (JsonNode p : t.path("prevouts")) {
                String op = p.path("txid").asText() + ":" + p.path("vout").asInt();
                assertTrue(chainPrevouts.add(op), "the chain accepted two spends of " + op);
            }
        }
        assertTrue(chainPrevouts.containsAll(inputs), "every input we signed is spent on the chain");
    }

    private static void assertI4Conservation(StackDb db, List<Job> jobs, PoolSnapshot before, PoolSnapshot after,
                                             Map<String, JsonNode> chainTxs) throws SQLException {
        long publishFees = 0;
        for (Job j : jobs) {
            long in = 0;
            for (JsonNode p : chainTxs.get(j.txid()).path("prevouts")) {
                in += p.path("satoshis").asLong();
            }
            long out = 0;
            for (TxOutput o : RawTransaction.parse(j.rawTx()).outputs()) {
                out += o.value().value();
            }
            assertEquals(in - out, j.feeSats(), "fee_sats of " + j.jobId() + " = inputs − outputs");
            publishFees += j.feeSats();
        }
        // pool transactions stored between the two snapshots (their fee_sats never change once stored)
        Set<String> window = new HashSet<>(after.poolTxids());
        window.removeAll(before.poolTxids());
        long poolFees = 0;
        for (String txid : window) {
            assertEquals(0, db.scalar("SELECT count(*) FROM pool_transactions WHERE txid = ? AND status = 'rejected'", txid),
                    "pool transaction " + txid + " rejected");
            poolFees += db.scalar("SELECT fee_sats FROM pool_transactions WHERE txid = ?", txid);
        }
        assertTrue(publishFees > 0, "publishing costs fees");
        System.out.printf("I4: pool before %d = after %d + publish fees %d + fees of %d pool transaction(s) %d%n",
                before.sats(), after.sats(), publishFees, window.size(), poolFees);
        assertEquals(before.sats(), after.sats() + publishFees + poolFees,
                "pool sats before = after + fees (publish " + publishFees + ", pool transactions " + poolFees + ")");
        assertEquals(0, db.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved' AND reserved_until < now() - interval '10 minutes'"),
                "no reservation outlives its lease");
    }

    private static void assertI5StatusesOnlyMovedForward(StackDb db, List<Job> jobs) throws SQLException {
        // transitions and current statuses in one statement, so one snapshot (jobs keep moving sent -> mined meanwhile)
        Map<String, List<String[]>> byJob = new HashMap<>();
        Map<String, String> statusNow = new HashMap<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT t.job_id, t.from_status, t.to_status, j.status
                     FROM publish_job_transitions t JOIN job_states j ON j.job_id = t.job_id ORDER BY t.job_id, t.id""")) {
            while (rs.next()) {
                byJob.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[]{rs.getString(2), rs.getString(3)});
                statusNow.put(rs.getString(1), rs.getString(4));
            }
        }
        for (Job j : jobs) {
            List<String[]> ts = byJob.get(j.jobId());
            assertNotNull(ts, "transitions of " + j.jobId());
            assertEquals(null, ts.get(0)[0], "first transition of " + j.jobId() + " starts from nothing");
            assertEquals("queued", ts.get(0)[1]);
            String at = null;
            for (String[] t : ts) {
                String edge = (t[0] == null ? "null" : t[0]) + ">" + t[1];
                assertTrue(LEGAL.contains(edge), "illegal transition " + edge + " of " + j.jobId());
                assertEquals(at, t[0], "transitions of " + j.jobId() + " chain");
                at = t[1];
            }
            assertEquals(statusNow.get(j.jobId()), at, "last transition of " + j.jobId() + " is its status");
        }
        // the guard is in force in this database: a backward move is refused (and nothing changes)
        Job victim = jobs.get(0);
        Connection c = db.connection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("UPDATE publish_jobs SET status = 'queued' WHERE job_id = ?")) {
            ps.setString(1, victim.jobId());
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate, "sent -> queued must be refused");
            assertEquals("23514", e.getSQLState(), e::getMessage);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static void assertRecordsDecodeToTheirEnvelopes(List<Job> jobs, Map<String, Envelope> sentByJob) {
        for (Job j : jobs) {
            Optional<RecordExtractor.Extracted> ex = RecordExtractor.fromRawTransaction(j.rawTx());
            assertTrue(ex.isPresent(), "record of " + j.jobId() + " decodes");
            assertEquals(j.stored(), ex.get().envelope(), "on-chain record = stored envelope");
            assertEquals(sentByJob.get(j.jobId()), ex.get().envelope(), "on-chain record = the envelope the client sent");
        }
    }

    private void assertBsvSdkValidatesEveryTransaction(StackDb db, List<Job> jobs, Map<String, JsonNode> chainTxs) throws Exception {
        SdkCheck sdk = new SdkCheck("../broadcaster/src/test/js");
        for (Job j : jobs) {
            sdk.add(j.jobId(), j.rawTx(), prevouts(chainTxs.get(j.txid())));
        }
        List<String> poolTxids = db.strings("SELECT txid FROM pool_transactions WHERE status <> 'rejected' ORDER BY created_at");
        for (String txid : poolTxids) {
            JsonNode t = chainTxs.get(txid);
            assertNotNull(t, "the chain accepted pool transaction " + txid);
            sdk.add("pool:" + txid, HexBytes.of(t.path("rawTx").asText()), prevouts(t));
        }
        // negative controls, in the same Node run: each must be refused, or this check could not fail
        Job victim = jobs.get(0);
        ObjectNode victimPrevouts = prevouts(chainTxs.get(victim.txid()));
        sdk.add("control:tampered-record", tamperPayload(victim), victimPrevouts);
        ObjectNode richer = victimPrevouts.deepCopy();
        richer.fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("satoshis", e.getValue().get("satoshis").asLong() + 1));
        sdk.add("control:wrong-prevout-amount", victim.rawTx(), richer);
        sdk.add("control:truncated", Arrays.copyOf(victim.rawTx(), victim.rawTx().length - 1), victimPrevouts);

        JsonNode results = sdk.run(tmp);
        System.out.printf("@bsv/sdk checked %d publish and %d pool transaction(s) and %d negative controls%n",
                jobs.size(), poolTxids.size(), results.size() - jobs.size() - poolTxids.size());
        int n = jobs.size();
        for (int i = 0; i < n + poolTxids.size(); i++) {
            JsonNode r = results.get(i);
            assertTrue(r.path("parsed").asBoolean(), r::toString);
            assertTrue(r.path("reserializedEqual").asBoolean(), () -> "rebuilds byte-equal: " + r);
            assertTrue(r.path("valid").asBoolean(), () -> "SDK interpreter with FORKID flags: " + r);
        }
        for (int i = 0; i < n; i++) {
            Job j = jobs.get(i);
            JsonNode r = results.get(i);
            assertEquals(j.jobId(), r.path("name").asText());
            assertEquals(j.txid(), r.path("txid").asText(), "the SDK's txid is the stored txid");
            assertEquals(SdkCheck.expectedPushes(j.stored()), SdkCheck.recordPushes(r), "the SDK's parse of the record is the envelope");
        }
        for (int i = n + poolTxids.size(); i < results.size(); i++) {
            JsonNode r = results.get(i);
            assertFalse(r.path("valid").asBoolean(), () -> "negative control accepted: " + r);
        }
        JsonNode tampered = results.get(n + poolTxids.size());
        assertTrue(tampered.path("reserializedEqual").asBoolean(), "same length, so only the signature can catch it");
        assertFalse(tampered.path("inputs").get(0).path("valid").asBoolean(), tampered::toString);
        // the record comparison itself can fail: another job's envelope is not this record
        assertNotEquals(SdkCheck.expectedPushes(jobs.get(1).stored()), SdkCheck.recordPushes(results.get(0)));
    }

    /** The prevouts of a chain export entry as check-published.mjs wants them: {@code txid:vout -> {satoshis, lockingScriptHex}}. */
    private static ObjectNode prevouts(JsonNode chainTx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (JsonNode p : chainTx.path("prevouts")) {
            out.putObject(p.path("txid").asText() + ":" + p.path("vout").asInt())
                    .put("satoshis", p.path("satoshis").asLong())
                    .put("lockingScriptHex", p.path("lockingScript").asText());
        }
        assertTrue(out.size() > 0, () -> "the chain recorded prevouts for " + chainTx.path("txid").asText());
        return out;
    }

    /** Changes one byte of the signed payload inside the record output: same length, different sighash. */
    private static byte[] tamperPayload(Job j) {
        byte[] raw = j.rawTx().clone();
        byte[] payload = j.stored().signedPayload().getBytes(StandardCharsets.UTF_8);
        int at = HexBytes.indexOf(raw, payload);
        assertTrue(at >= 0, "payload bytes are in the transaction");
        raw[at + payload.length / 2] ^= 0x01;
        return raw;
    }

    private static List<Job> loadJobs(StackDb db) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT j.job_id, s.status, j.txid, coalesce(t.raw_tx, j.raw_tx), coalesce(j.fee_sats, -1), j.signed_payload,
                            j.signature, j.pubkey
                     FROM publish_jobs j JOIN job_states s ON s.job_id = j.job_id
                     LEFT JOIN publish_job_transactions t ON t.job_id = j.job_id ORDER BY j.job_id""")) {
            while (rs.next()) {
                out.add(new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getLong(5),
                        new Envelope(rs.getString(6), rs.getString(7), rs.getString(8))));
            }
        }
        return out;
    }

    private static Set<String> jobIds(List<Job> jobs) {
        Set<String> ids = new HashSet<>();
        jobs.forEach(j -> ids.add(j.jobId()));
        return ids;
    }

    private static String statusCounts(StackDb db) {
        try {
            return String.join(", ", db.strings("SELECT status || ' ' || count(*) || coalesce(' ' || string_agg(DISTINCT error_code, ','), '') "
                    + "FROM publish_jobs GROUP BY status"));
        } catch (SQLException e) {
            return e.toString();
        }
    }
}
