package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.PgTools;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.jobs.Spends;
import io.raregen.core.reconcile.ChainReconciliation.Finding;
import io.raregen.core.reconcile.ChainReconciliation.Kind;
import io.raregen.core.reconcile.ChainReconciliation;
import io.raregen.core.reconcile.WocChainReader;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;
import io.raregen.localchain.ledger.Ledger;
import io.raregen.localchain.ledger.LedgerState;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore drill of docs/OPERATIONS.md, locally: a backlog drains through the real pipeline and the local chain; a
 * pg_dump is taken while some jobs are sent and others still queued; the drain finishes on the original database; the
 * dump is restored into a new database, reconciled with the chain ({@link ChainReconciliation}, what
 * {@code raregen ops reconcile --apply} runs) and a broadcaster drains new work on it. Every record is on the chain
 * exactly once, the broadcaster never tried to spend an output the chain had already spent, the restored database
 * matches the chain output for output, the pool's conservation audit balances, and a second reconcile finds nothing.
 */
class RestoreDrillTest extends ChainAndQueue {
    private static final int JOBS = 240;
    private static final int LATER = 40;
    private static final int FUNDED_OUTPUTS = JOBS + LATER + 20;
    private static final long FUNDED_SATS = 1000;

    TestKit restored;

    @AfterEach
    void closeRestored() {
        if (restored != null) {
            restored.close();
        }
    }

    @Test
    void aDumpTakenMidDrain_restoredAndReconciled_publishesEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        kit.fundPool(FUNDED_OUTPUTS, FUNDED_SATS);
        long funded = FUNDED_OUTPUTS * FUNDED_SATS;
        List<String> ids = kit.insertJobs(JOBS);

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "1. drain");
        // 1. drain in small batches through answers held 120 ms, so a dump catches jobs in every state
        PipelineSettings pp = kit.fastPipeline();
        pp.setMaxBatchSize(20);
        RecoverySettings slow = kit.fastRecovery();
        slow.setReconcileAfter(Duration.ofSeconds(5)); // the queue's messages start the work, the backlog drains in order
        kit.chain.faults().latencyMs(120);
        String queue = sqs.createQueue();
        sqs.sendJobIds(queue, ids);
        Path dump = dir.resolve("mid-drain.dump");
        PublishPipeline first = kit.pipeline(pp, slow, RateLimiter.unlimited(), sqs.client, queue, PipelineHooks.NONE, "before-restore");
        first.start();
        try {
            kit.awaitScalar("SELECT least(count(*), 60) FROM job_states WHERE status IN ('sent', 'mined')", 60, Duration.ofSeconds(60));
            PgTools.dump(kit.db, dump);
            kit.chain.mineBlock(); // some of what the dump missed is mined, the rest stays in the mempool
            assertEquals(JOBS, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')", JOBS, Duration.ofSeconds(45)),
                    () -> "the first drain finished: " + kit.strings("SELECT status || ' ' || count(*) FROM publish_jobs GROUP BY status")
                            + ", queue depth " + sqs.depth(queue));
        } finally {
            first.close();
        }
        kit.chain.faults().latencyMs(0);

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "2. restore");
        // 2. restore into a new database; the dump is behind the chain
        TestDatabase copy = TestDatabase.createEmpty();
        PgTools.restore(dump, copy);
        restored = kit.onRestored(copy);
        long dumpSent = restored.scalar("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')");
        long dumpSigned = restored.scalar("SELECT count(*) FROM job_states WHERE status = 'signed'");
        long dumpUnsent = restored.scalar("SELECT count(*) FROM job_states WHERE status IN ('queued', 'processing')");
        assertTrue(dumpSent >= 60 && dumpUnsent > 0, "the dump was taken mid-drain: " + dumpSent + " sent, " + dumpSigned
                + " signed, " + dumpUnsent + " queued or processing");
        assertEquals(JOBS, dumpSent + dumpSigned + dumpUnsent);

        WocChainReader woc = new WocChainReader(kit.chain.arcUrl() + "/woc", "test", null, Duration.ofSeconds(10));

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "3. dry run");
        // 3. dry run: reports, writes nothing
        String before = fingerprint(restored);
        ChainReconciliation.Report dry = reconcile(woc, false);
        assertEquals(before, fingerprint(restored), "a dry run writes nothing");
        assertFalse(dry.inAgreement());
        assertEquals(dumpUnsent, count(dry, Kind.PUBLISHED_AFTER_BACKUP));
        assertEquals(dumpSigned, count(dry, Kind.SIGNED_JOB_ON_CHAIN));

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "4. apply");
        // 4. apply
        ChainReconciliation.Report applied = reconcile(woc, true);
        System.out.printf("restore drill: dump had %d sent, %d signed, %d queued/processing; reconcile: %s%n",
                dumpSent, dumpSigned, dumpUnsent, summary(applied));
        assertEquals(dumpUnsent, count(applied, Kind.PUBLISHED_AFTER_BACKUP), summary(applied));
        assertEquals(dumpSigned, count(applied, Kind.SIGNED_JOB_ON_CHAIN), summary(applied));
        for (Kind k : List.of(Kind.CONFLICT, Kind.RECORD_WITHOUT_JOB, Kind.JOB_NOT_ON_CHAIN, Kind.REPLACED_AFTER_BACKUP,
                Kind.OUTPUT_SPENT_ELSEWHERE)) {
            assertEquals(0, count(applied, k), k + ": " + summary(applied));
        }
        assertTrue(applied.findings().stream().allMatch(Finding::applied), summary(applied));
        assertTrue(applied.inAgreement());
        assertEquals(0, restored.scalar("SELECT count(*) FROM job_states WHERE status NOT IN ('sent', 'mined')"));
        assertEquals(dumpUnsent + dumpSigned, restored.scalar(
                "SELECT count(*) FROM publish_job_transitions WHERE to_status = 'sent' AND reason LIKE 'reconcile:%'"));
        assertEquals(0, restored.pool.snapshot().conservationGapSats(), "the audit balances right after the reconcile");

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "5. a broadca");
        // 5. a broadcaster on the restored database: nothing is published again, new work spends only unspent outputs
        Ledger.Stats chainBefore = kit.chain.stats();
        List<String> later = restored.insertJobs(LATER);
        String queue2 = sqs.createQueue();
        sqs.sendJobIds(queue2, later);
        PublishPipeline second = restored.pipeline(restored.fastPipeline(), restored.fastRecovery(), RateLimiter.unlimited(),
                sqs.client, queue2, PipelineHooks.NONE, "after-restore");
        second.start();
        try {
            assertEquals(JOBS + LATER, restored.awaitScalar("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined')",
                    JOBS + LATER, Duration.ofSeconds(60)));
            Thread.sleep(3000); // the rescuer and the reconciler get their rounds: they must find nothing to re-send
        } finally {
            second.close();
        }
        Ledger.Stats chainAfter = kit.chain.stats();
        assertEquals(chainBefore.doubleSpendAttempts(), chainAfter.doubleSpendAttempts(), "no spend of an output the chain had spent");
        assertEquals(chainBefore.rejected(), chainAfter.rejected(), "nothing rejected");
        assertEquals(chainBefore.accepted() + LATER, chainAfter.accepted(), "exactly the new jobs' transactions reached the chain");

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "6. the chain");
        // 6. the chain holds every record exactly once, in the transaction the restored database names
        List<String> all = new ArrayList<>(ids);
        all.addAll(later);
        Map<String, List<String>> txidsByRecord = recordsOnChain();
        Map<String, String> recordOfJob = new HashMap<>();
        try (Connection c = restored.ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id, pubkey, signed_payload, signature, txid FROM publish_jobs")) {
            while (rs.next()) {
                String key = new Envelope(rs.getString(3), rs.getString(4), rs.getString(2)).toJson();
                recordOfJob.put(rs.getString(1), key);
                assertEquals(List.of(rs.getString(5)), txidsByRecord.get(key), "job " + rs.getString(1) + " on the chain once, in its txid");
            }
        }
        assertEquals(all.size(), txidsByRecord.size(), "no record on the chain without its job");
        assertEquals(new HashSet<>(all), recordOfJob.keySet());
        Invariants.assertAllPublished(restored, all);

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "7. no outpoi");
        // 7. no outpoint spent twice; every pool row says what the chain says
        Set<String> inputs = new HashSet<>();
        for (LedgerState.TxRecord t : kit.chain.export().transactions()) {
            for (LedgerState.Prevout p : t.prevouts()) {
                assertTrue(inputs.add(p.txid() + ":" + p.vout()), "outpoint spent twice on the chain: " + p.txid() + ":" + p.vout());
            }
        }
        int compared = 0;
        // a pool row, or (since V51) a spent output's spends row once its row left the pool
        try (Connection c = restored.ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT txid, vout, status, spent_by_txid FROM utxos
                     UNION ALL
                     SELECT sp.outpoint_txid, sp.outpoint_vout, 'spent', sp.spending_txid FROM spends sp
                      WHERE\s""" + Spends.leftThePool("sp"))) {
            while (rs.next()) {
                Outpoint o = new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2));
                Optional<Txid> spender = woc.spender(o);
                String status = rs.getString(3);
                if (status.equals("available") || status.equals("reserved")) {
                    assertTrue(spender.isEmpty(), o + " is " + status + " here but spent on the chain by " + spender);
                } else {
                    assertEquals(status, "spent", o + " is " + status);
                    assertEquals(spender.map(Txid::hex).orElse(null), rs.getString(4), o + " spent by");
                }
                compared++;
            }
        }
        assertTrue(compared > FUNDED_OUTPUTS, compared + " pool rows compared");
        Invariants.assertConservation(restored, funded);
        assertEquals(0, restored.pool.snapshot().conservationGapSats());

        System.out.printf("drill step at %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, "8. idempoten");
        // 8. idempotent: a second run finds nothing
        ChainReconciliation.Report again = reconcile(woc, true);
        assertEquals(List.of(), again.findings());
        assertTrue(again.inAgreement());
    }

    private ChainReconciliation.Report reconcile(WocChainReader woc, boolean apply) throws Exception {
        try (Connection c = restored.ds.getConnection()) {
            return ChainReconciliation.run(c, woc, apply);
        }
    }

    /** Every record on the chain (its envelope as JSON) → the txids carrying it. */
    private Map<String, List<String>> recordsOnChain() {
        Map<String, List<String>> out = new HashMap<>();
        for (LedgerState.TxRecord t : kit.chain.export().transactions()) {
            if (t.faucet()) {
                continue;
            }
            RecordExtractor.fromRawTransaction(HexFormat.of().parseHex(t.rawTx())).ifPresent(r ->
                    out.computeIfAbsent(r.envelope().toJson(), k -> new ArrayList<>()).add(t.txid()));
        }
        return out;
    }

    private static String fingerprint(TestKit k) {
        return k.strings("SELECT status || ':' || count(*) FROM publish_jobs GROUP BY status ORDER BY status")
                + " " + k.strings("SELECT status || ':' || count(*) || ':' || sum(satoshis) FROM utxos GROUP BY status ORDER BY status")
                + " transitions:" + k.scalar("SELECT count(*) FROM publish_job_transitions")
                + " spends:" + k.scalar("SELECT count(*) FROM spends");
    }

    private static long count(ChainReconciliation.Report r, Kind k) {
        return r.findings().stream().filter(f -> f.kind() == k).count();
    }

    private static String summary(ChainReconciliation.Report r) {
        Map<Kind, Integer> byKind = new java.util.EnumMap<>(Kind.class);
        r.findings().forEach(f -> byKind.merge(f.kind(), 1, Integer::sum));
        String firstOdd = r.findings().stream().filter(f -> f.kind().attention() || !f.applied()).findFirst()
                .map(f -> "; first: " + f.kind() + " " + f.detail()).orElse("");
        return byKind + " (" + r.jobsChecked() + " jobs, " + r.outputsChecked() + " outputs checked)" + firstOdd;
    }
}
