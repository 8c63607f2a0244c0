package io.raregen.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.cli.support.InProcessCli;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Ulid;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raregen ops reconcile} in this JVM against a real database and the local chain over HTTP: a database that
 * missed two things the chain saw (a queued job's record published from a pool output; another pool output spent by a
 * stranger) is shown the difference (exit 1, nothing written), brought in line with {@code --apply} (exit 0), and a
 * second run finds nothing; a pool output a stored transaction spent without its spends row leaves the pool and gets
 * that row. The full drill (pg_dump mid-drain, restore, broadcaster) is the broadcaster's
 * RestoreDrillTest.
 */
class OpsReconcileCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeeRate RATE = new FeeRate(100, 1000);

    TestDatabase db;
    LocalChain chain;
    InProcessCli cli;
    final KeyPair poolKey = KeyPair.generate();
    final KeyPair client = KeyPair.generate();

    @BeforeEach
    void setUp(@TempDir Path home) {
        db = TestDatabase.create();
        chain = LocalChain.start(LocalChainConfig.builder().manualMining().build());
        cli = new InProcessCli(home, "http://127.0.0.1:9").env("RAREGEN_DB_URL", db.jdbcUrl())
                .env("RAREGEN_CHAIN_URL", chain.arcUrl() + "/woc").env("RAREGEN_NETWORK", "test");
    }

    @AfterEach
    void tearDown() {
        chain.close();
        db.close();
    }

    @Test
    void aRecordPublishedAfterTheBackup_isAttachedToItsJob_andAStrangersSpendIsRetired() throws Exception {
        List<FaucetOutput> funded = chain.faucet(poolKey.p2pkhLockingScript(), 1000, 3);
        Utxo forRecord = funded.get(0).utxo();
        Utxo forStranger = funded.get(1).utxo();
        Utxo untouched = funded.get(2).utxo();
        inPool(funded.stream().map(FaucetOutput::utxo).toList());
        String nonce = "n-" + Ulid.generate();
        Envelope env = EnvelopeSigner.sign(Payloads.publish(JSON.readTree("{\"title\":\"after the backup\"}"), nonce,
                Instant.now(), null), client);
        String jobId = queuedJob(env, nonce);
        // what the database never saw: the job's record published from one pool output, another spent elsewhere
        SignedTransaction published = PublishTransactions.build(List.of(forRecord), poolKey, env, poolKey.p2pkhLockingScript(), RATE);
        SignedTransaction stranger = new TransactionBuilder().addInput(forStranger).changeTo(KeyPair.generate().p2pkhLockingScript())
                .sign(poolKey, RATE);
        submit(published);
        submit(stranger);

        InProcessCli.Result dry = cli.run("ops", "reconcile");
        assertEquals(1, dry.code(), dry.out() + dry.err());
        System.out.println("$ raregen ops reconcile\n" + dry.out());
        assertTrue(dry.out().contains("PUBLISHED_AFTER_BACKUP") && dry.out().contains(jobId), dry.out());
        assertTrue(dry.out().contains("OUTPUT_SPENT_ELSEWHERE") && dry.out().contains(stranger.txid().hex()), dry.out());
        assertTrue(dry.out().contains("2 change(s) to apply (dry run"), dry.out());
        assertEquals("queued", string("SELECT status FROM publish_jobs WHERE job_id = '" + jobId + "'"), "a dry run writes nothing");
        assertEquals("3", string("SELECT count(*) FROM utxos WHERE status = 'available'"));

        InProcessCli.Result apply = cli.run("ops", "reconcile", "--apply");
        System.out.println("$ raregen ops reconcile --apply\n" + apply.out());
        assertEquals(0, apply.code(), apply.out() + apply.err());
        assertTrue(apply.out().contains("2 change(s) applied"), apply.out());
        assertEquals("sent " + published.txid().hex() + " " + published.fee().value(),
                string("SELECT status || ' ' || txid || ' ' || fee_sats FROM publish_jobs WHERE job_id = '" + jobId + "'"));
        assertEquals(HexFormat.of().formatHex(published.raw()),
                string("SELECT encode(raw_tx, 'hex') FROM publish_job_transactions WHERE job_id = '" + jobId + "'"));
        assertEquals("spent " + published.txid().hex(), utxo(forRecord));
        assertEquals("retired " + stranger.txid().hex(), utxo(forStranger));
        assertEquals("available null", utxo(untouched));
        assertEquals("1", string("SELECT count(*) FROM utxos WHERE txid = '" + published.txid().hex() + "' AND status = 'available'"),
                "the change went to the pool");
        assertEquals("queued>processing|processing>signed|signed>sent", string("SELECT string_agg(from_status || '>' || to_status, '|' "
                + "ORDER BY id) FROM publish_job_transitions WHERE job_id = '" + jobId + "' AND reason LIKE 'reconcile:%'"));

        InProcessCli.Result again = cli.run("ops", "reconcile", "--apply", "--json");
        System.out.println("$ raregen ops reconcile --apply --json\n" + again.out());
        assertEquals(0, again.code(), again.out() + again.err());
        JsonNode j = JSON.readTree(again.out());
        assertTrue(j.path("inAgreement").asBoolean());
        assertEquals(0, j.path("findings").size());
        assertEquals(1, j.path("jobsChecked").asInt());

        assertEquals(0, cli.run("ops").code(), "plain 'raregen ops' still prints the monitoring queries");
        InProcessCli.Result badNet = cli.run("ops", "reconcile", "--network", "regtest");
        assertEquals(2, badNet.code());
        assertTrue(badNet.err().contains("BAD_NETWORK"), badNet.err());
        InProcessCli.Result noChain = cli.run("ops", "reconcile", "--chain-url", "http://127.0.0.1:9/woc");
        assertEquals(3, noChain.code(), noChain.out() + noChain.err());
        assertTrue(noChain.err().contains("CHAIN_UNREACHABLE"), noChain.err());
        assertFalse(noChain.err().contains("password"), noChain.err());
    }

    @Test
    void aPoolOutputSpentByAStoredJobWithoutItsSpendsRow_leavesThePool_andKeepsItsSpendsRow() throws Exception {
        Utxo input = chain.faucet(poolKey.p2pkhLockingScript(), 1000, 1).get(0).utxo();
        inPool(List.of(input));
        String nonce = "n-" + Ulid.generate();
        Envelope env = EnvelopeSigner.sign(Payloads.publish(JSON.readTree("{\"title\":\"sent, spends row lost\"}"), nonce,
                Instant.now(), null), client);
        String jobId = queuedJob(env, nonce);
        SignedTransaction tx = PublishTransactions.build(List.of(input), poolKey, env, poolKey.p2pkhLockingScript(), RATE);
        // stored and sent as the broadcaster does, but the input's pool row never left and its spends row is missing
        // (a restore that mixed two moments): only the chain says the output is spent, by a transaction we stored
        storedAndSent(jobId, tx);
        submit(tx);
        String outpoint = "outpoint_txid = '" + input.outpoint().txid().hex() + "' AND outpoint_vout = " + input.outpoint().vout();

        InProcessCli.Result dry = cli.run("ops", "reconcile");
        System.out.println("$ raregen ops reconcile\n" + dry.out());
        assertEquals(1, dry.code(), dry.out() + dry.err());
        assertTrue(dry.out().contains("OUTPUT_SPENT_BY_OURS") && dry.out().contains(tx.txid().hex()), dry.out());
        assertEquals("available null", utxo(input), "a dry run writes nothing");
        assertEquals("0", string("SELECT count(*) FROM spends WHERE " + outpoint));

        InProcessCli.Result apply = cli.run("ops", "reconcile", "--apply");
        System.out.println("$ raregen ops reconcile --apply\n" + apply.out());
        assertEquals(0, apply.code(), apply.out() + apply.err());
        assertEquals("0", string("SELECT count(*) FROM utxos WHERE txid = '" + input.outpoint().txid().hex() + "'"),
                "the spent output left the pool");
        assertEquals(tx.txid().hex() + " " + jobId + " " + input.satoshis().value() + " "
                        + HexFormat.of().formatHex(input.lockingScript()),
                string("SELECT spending_txid || ' ' || job_id || ' ' || satoshis || ' ' || encode(script_pub_key, 'hex') "
                        + "FROM spends WHERE " + outpoint), "what stays of it names its spender, its job, value and script");

        InProcessCli.Result again = cli.run("ops", "reconcile", "--apply", "--json");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(JSON.readTree(again.out()).path("inAgreement").asBoolean(), again.out());
    }

    @Test
    void withoutTheHistorysKeysOnNonceAndTxid_recordsAreMatchedToUnpublishedJobsAndToGuardedNonces() throws Exception {
        // GIVEN the schema since V59: no key over every job's (pubkey, nonce) or txid; the reconciliation finds jobs by
        // what it read first and by the guards
        List<FaucetOutput> funded = chain.faucet(poolKey.p2pkhLockingScript(), 1000, 4);
        inPool(funded.stream().map(FaucetOutput::utxo).toList());
        // a queued job whose record the chain holds; a mined job whose own transaction spent a pool output the
        // restored pool still holds; a mined job whose record was published a second time; a record with no job here
        Envelope queued = envelope("queued, published after the backup");
        String queuedJob = queuedJob(queued, nonce(queued));
        Envelope mined = envelope("mined, its input still in the pool");
        SignedTransaction minedTx = PublishTransactions.build(List.of(funded.get(1).utxo()), poolKey, mined,
                poolKey.p2pkhLockingScript(), RATE);
        String minedJob = minedJob(mined, minedTx);
        Envelope twice = envelope("mined, published twice");
        String twiceJob = minedJob(twice, PublishTransactions.build(List.of(chain.faucet(poolKey.p2pkhLockingScript(), 1000, 1)
                .get(0).utxo()), poolKey, twice, poolKey.p2pkhLockingScript(), RATE));
        Envelope stranger = envelope("a record accepted after the backup");
        SignedTransaction queuedTx = PublishTransactions.build(List.of(funded.get(0).utxo()), poolKey, queued,
                poolKey.p2pkhLockingScript(), RATE);
        SignedTransaction twiceTx = PublishTransactions.build(List.of(funded.get(2).utxo()), poolKey, twice,
                poolKey.p2pkhLockingScript(), RATE);
        SignedTransaction strangerTx = PublishTransactions.build(List.of(funded.get(3).utxo()), poolKey, stranger,
                poolKey.p2pkhLockingScript(), RATE);
        for (SignedTransaction t : List.of(queuedTx, minedTx, twiceTx, strangerTx)) {
            submit(t);
        }

        // WHEN the database is reconciled
        InProcessCli.Result apply = cli.run("ops", "reconcile", "--apply", "--json");

        // THEN each record meets its job, or is reported for a person
        assertEquals(1, apply.code(), apply.out() + apply.err());
        JsonNode findings = JSON.readTree(apply.out()).path("findings");
        assertEquals(queuedTx.txid().hex(), finding(findings, "PUBLISHED_AFTER_BACKUP", queuedJob).path("txid").asText());
        assertEquals("sent " + queuedTx.txid().hex(), string("SELECT status || ' ' || txid FROM publish_jobs WHERE job_id = '"
                + queuedJob + "'"));
        JsonNode ours = finding(findings, "OUTPUT_SPENT_BY_OURS", null);
        assertEquals(minedTx.txid().hex(), ours.path("txid").asText(), ours.toString());
        assertEquals(minedTx.txid().hex() + " " + minedJob, string("SELECT spending_txid || ' ' || job_id FROM spends WHERE "
                + "outpoint_txid = '" + funded.get(1).utxo().outpoint().txid().hex() + "' AND outpoint_vout = "
                + funded.get(1).utxo().outpoint().vout()), "the spends row names the mined job found by its guard");
        JsonNode conflict = finding(findings, "CONFLICT", twiceJob);
        assertTrue(conflict.path("detail").asText().contains("job is mined"), conflict.toString());
        JsonNode without = finding(findings, "RECORD_WITHOUT_JOB", null);
        assertEquals(strangerTx.txid().hex(), without.path("txid").asText(), without.toString());
        assertEquals(strangerTx.txid().hex(), finding(findings, "OUTPUT_SPENT_ELSEWHERE", null).path("txid").asText(),
                "its pool output is retired");
        assertEquals(5, findings.size(), findings.toString());
    }

    @Test
    void anAnchorBatchInFlight_isNotAStoredJobTransaction_andThePoolOutputItSpentIsOurs() throws Exception {
        Utxo input = chain.faucet(poolKey.p2pkhLockingScript(), 1000, 1).get(0).utxo();
        inPool(List.of(input));
        Envelope env = envelope("anchored");
        String jobId = queuedJob(env, nonce(env));
        // GIVEN an anchor batch in flight whose transaction (a root, no record) spent a pool output the restored pool
        // still holds, and its job signed into it (an anchor-mode job has no transaction of its own)
        SignedTransaction anchorTx = new TransactionBuilder().addInput(input).changeTo(poolKey.p2pkhLockingScript())
                .sign(poolKey, RATE);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('A-" + jobId + "', 1, 'signing')");
            s.execute("INSERT INTO anchor_batches (batch_id, tree_size, root, txid, raw_tx, fee_sats, status) VALUES ('A-" + jobId
                    + "', 1, '" + "ab".repeat(32) + "', '" + anchorTx.txid().hex() + "', '\\x" + anchorTx.rawHex() + "', "
                    + anchorTx.fee().value() + ", 'sent')");
            s.execute("UPDATE publish_jobs SET mode = 'anchor' WHERE job_id = '" + jobId + "'");
            s.execute("UPDATE publish_jobs SET status = 'processing' WHERE job_id = '" + jobId + "'");
            s.execute("UPDATE publish_jobs SET status = 'signed', anchor_batch_id = 'A-" + jobId + "', anchor_leaf_index = 0 "
                    + "WHERE job_id = '" + jobId + "'");
        }
        submit(anchorTx);

        // WHEN the database is reconciled
        InProcessCli.Result apply = cli.run("ops", "reconcile", "--apply", "--json");

        // THEN the anchor job is no stored transaction to look up, and the output its batch spent leaves the pool as ours
        assertEquals(0, apply.code(), apply.out() + apply.err());
        JsonNode report = JSON.readTree(apply.out());
        assertEquals(0, report.path("jobsChecked").asInt(), report.toString());
        JsonNode ours = finding(report.path("findings"), "OUTPUT_SPENT_BY_OURS", null);
        assertEquals(anchorTx.txid().hex(), ours.path("txid").asText(), ours.toString());
        assertEquals("spent " + anchorTx.txid().hex(), utxo(input));
        assertEquals("t", string("SELECT job_id IS NULL FROM spends WHERE spending_txid = '" + anchorTx.txid().hex() + "'"),
                "an anchor batch's input is a spends row of no job");
    }

    private Envelope envelope(String title) throws Exception {
        return EnvelopeSigner.sign(Payloads.publish(JSON.readTree("{\"title\":\"" + title + "\"}"), "n-" + Ulid.generate(),
                Instant.now(), null), client);
    }

    private static String nonce(Envelope env) throws Exception {
        return JSON.readTree(env.signedPayload()).path("nonce").asText();
    }

    /** The one finding of {@code kind} (for {@code jobId} when given). */
    private static JsonNode finding(JsonNode findings, String kind, String jobId) {
        List<JsonNode> matching = new java.util.ArrayList<>();
        findings.forEach(f -> {
            if (f.path("kind").asText().equals(kind) && (jobId == null || jobId.equals(f.path("jobId").asText()))) {
                matching.add(f);
            }
        });
        assertEquals(1, matching.size(), kind + " in " + findings);
        return matching.get(0);
    }

    /**
     * A job mined in {@code tx} (its inputs not written to the pool: the test's pool rows stand for a restore of two
     * moments), with its nonce guarded as the intake guards it while its envelope can be accepted.
     */
    private String minedJob(Envelope env, SignedTransaction tx) throws Exception {
        String jobId = queuedJob(env, nonce(env));
        storedAndSent(jobId, tx);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) VALUES (nonce_key('" + env.pubkey() + "', '"
                    + nonce(env) + "'), '" + jobId + "', now() + interval '1 hour')");
            s.execute("UPDATE publish_jobs SET status = 'mined', mined_at = now(), block_hash = repeat('a', 64), block_height = 1 "
                    + "WHERE job_id = '" + jobId + "'");
        }
        return jobId;
    }

    /** The queued job's transaction {@code tx} stored (its batch, its bytes, signed) and sent, as the broadcaster does. */
    private void storedAndSent(String jobId, SignedTransaction tx) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B-" + jobId + "', 1, 'broadcasting')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO publish_job_transactions (job_id, raw_tx) VALUES (?, ?)")) {
                ps.setString(1, jobId);
                ps.setBytes(2, tx.raw());
                ps.executeUpdate();
            }
            s.execute("UPDATE publish_jobs SET status = 'signed', txid = '" + tx.txid().hex() + "', fee_sats = " + tx.fee().value()
                    + ", processing_batch_id = 'B-" + jobId + "', batch_seq = 1, signed_at = now() WHERE job_id = '" + jobId + "'");
            c.commit();
            s.execute("UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = '" + jobId + "'");
            c.commit();
        }
    }

    /** Pool rows for {@code utxos}, as the replenisher or a deposit adds them, and the client's identity. */
    private void inPool(List<Utxo> utxos) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('" + client.publicKey().hex() + "') ON CONFLICT DO NOTHING");
            for (Utxo u : utxos) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose) "
                        + "VALUES (?, ?, ?, ?, 'publish')")) {
                    ps.setString(1, u.outpoint().txid().hex());
                    ps.setInt(2, u.outpoint().vout());
                    ps.setLong(3, u.satoshis().value());
                    ps.setBytes(4, u.lockingScript());
                    ps.executeUpdate();
                }
            }
        }
    }

    /** A queued job for {@code env}, as the intake stores it; returns its id. */
    private String queuedJob(Envelope env, String nonce) throws Exception {
        String jobId = Ulid.generate();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO publish_jobs (job_id, pubkey, "
                + "nonce, signed_payload, signature, payload_hash) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setString(2, env.pubkey());
            ps.setString(3, nonce);
            ps.setString(4, env.signedPayload());
            ps.setString(5, env.signature());
            ps.setString(6, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(env.signedPayload().getBytes("UTF-8"))));
            ps.executeUpdate();
        }
        return jobId;
    }

    private void submit(SignedTransaction tx) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/v1/tx"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(tx.rawHex())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("SEEN_ON_NETWORK") || r.body().contains("ACCEPTED"), r.body());
    }

    private String utxo(Utxo u) throws Exception {
        // a pool row, or (since V51) what stays of a spent output: its spends row
        String txid = u.outpoint().txid().hex();
        int vout = u.outpoint().vout();
        return string("SELECT COALESCE("
                + "(SELECT status || ' ' || coalesce(spent_by_txid, 'null') FROM utxos WHERE txid = '" + txid + "' AND vout = " + vout + "), "
                + "(SELECT 'spent ' || spending_txid FROM spends WHERE outpoint_txid = '" + txid + "' AND outpoint_vout = " + vout + "))");
    }

    private String string(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
