package io.raregen.broadcaster.store;

import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.core.types.Ulid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishJobStoreTest {
    static TestKit kit;
    static final SecureRandom RND = new SecureRandom();

    @BeforeAll
    static void setUp() {
        kit = new TestKit();
    }

    @AfterAll
    static void tearDown() {
        kit.close();
    }

    static Utxo fakeUtxo(long sats) {
        byte[] b = new byte[32];
        RND.nextBytes(b);
        return new Utxo(new Outpoint(Txid.fromHex(HexFormat.of().formatHex(b)), 0), Satoshis.of(sats), kit.poolKey.p2pkhLockingScript());
    }

    static SignedJob sign(ClaimedJob j, Utxo input) {
        SignedTransaction tx = PublishTransactions.build(List.of(input), kit.poolKey, j.envelope(), kit.poolKey.p2pkhLockingScript(),
                new FeeRate(1, 1000));
        return new SignedJob(j.jobId(), j.batchId(), j.batchSeq(), tx, j.createdAt(), j.attempts());
    }

    @Test
    void claim_numbersJobsOneToNByJobIdAndCreatesTheBatch() {
        List<String> ids = kit.insertJobs(5);
        String batch = Ulid.generate();
        PublishJobStore.Claim claim = kit.store.claim(batch, "test", ids, 0);
        assertEquals(5, claim.jobs().size());
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, claim.jobs().get(i).batchSeq());
            assertEquals(sorted.get(i), claim.jobs().get(i).jobId());
        }
        assertEquals(5, kit.scalar("SELECT job_count FROM publish_batches WHERE batch_id = '" + batch + "'"));
        assertEquals(5, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'processing' AND attempts = 1 AND processing_batch_id = '" + batch + "'"));
    }

    @Test
    void claim_ofAlreadyClaimedJobs_claimsNothingAndCreatesNoBatch() {
        List<String> ids = kit.insertJobs(3);
        kit.store.claim(Ulid.generate(), "test", ids, 0);
        String second = Ulid.generate();
        PublishJobStore.Claim again = kit.store.claim(second, "test", ids, 0);
        assertTrue(again.jobs().isEmpty());
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches WHERE batch_id = '" + second + "'"));
    }

    @Test
    void claim_unknownIds_areReportedAsNotExisting() {
        String ghost = Ulid.generate();
        assertTrue(kit.store.claim(Ulid.generate(), "test", List.of(ghost), 0).jobs().isEmpty());
        assertTrue(kit.store.existing(List.of(ghost)).isEmpty());
    }

    @Test
    void claim_withBacklogLimit_topsUpWithOldestQueuedJobs() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<String> older = kit.insertJobs(4);
        List<String> named = kit.insertJobs(1);
        PublishJobStore.Claim claim = kit.store.claim(Ulid.generate(), "test", named, 2);
        List<String> got = claim.jobs().stream().map(ClaimedJob::jobId).toList();
        assertEquals(3, got.size());
        assertTrue(got.containsAll(named));
        assertTrue(got.contains(older.get(0)) && got.contains(older.get(1)), "oldest first: " + got);
    }

    @Test
    void storeSigned_movesJobsToSignedAndRecordsEverySpentOutpoint() {
        List<String> ids = kit.insertJobs(3);
        String batch = Ulid.generate();
        List<SignedJob> signed = new ArrayList<>();
        for (ClaimedJob j : kit.store.claim(batch, "test", ids, 0).jobs()) {
            signed.add(sign(j, fakeUtxo(1000)));
        }
        Set<String> stored = kit.store.storeSigned(batch, signed);
        assertEquals(Set.copyOf(ids), stored);
        for (SignedJob s : signed) {
            assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed' AND txid = '"
                    + s.tx().txid().hex() + "' AND raw_tx IS NOT NULL AND fee_sats = " + s.tx().fee().value()));
            Outpoint in = s.tx().inputs().get(0).outpoint();
            assertEquals(1, kit.scalar("SELECT count(*) FROM spends WHERE outpoint_txid = '" + in.txid().hex()
                    + "' AND outpoint_vout = 0 AND job_id = '" + s.jobId() + "' AND spending_txid = '" + s.tx().txid().hex() + "'"));
        }
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_batches WHERE status = 'broadcasting' AND batch_id = '" + batch + "'"));
    }

    @Test
    void storeSigned_whenAnOutpointIsAlreadySpentByAStoredTx_storesNothingOfTheBatch() {
        Utxo shared = fakeUtxo(1000);
        List<String> first = kit.insertJobs(1);
        String b1 = Ulid.generate();
        ClaimedJob j1 = kit.store.claim(b1, "test", first, 0).jobs().get(0);
        kit.store.storeSigned(b1, List.of(sign(j1, shared)));

        List<String> second = kit.insertJobs(2);
        String b2 = Ulid.generate();
        List<ClaimedJob> js = kit.store.claim(b2, "test", second, 0).jobs();
        List<SignedJob> batch = List.of(sign(js.get(0), fakeUtxo(1000)), sign(js.get(1), shared));
        assertThrows(StoreException.class, () -> kit.store.storeSigned(b2, batch));
        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'processing' AND raw_tx IS NULL AND processing_batch_id = '" + b2 + "'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM spends WHERE outpoint_txid = '" + shared.outpoint().txid().hex() + "'"));
    }

    @Test
    void storeSigned_skipsAJobAnotherBatchTookOver() {
        List<String> ids = kit.insertJobs(1);
        String stale = Ulid.generate();
        ClaimedJob j = kit.store.claim(stale, "a", ids, 0).jobs().get(0);
        kit.sql("UPDATE publish_jobs SET processing_at = now() - interval '1 hour' WHERE job_id = '" + j.jobId() + "'");
        assertEquals(List.of(j.jobId()), kit.store.requeueStuckProcessing(Duration.ofMinutes(2)));
        String fresh = Ulid.generate();
        kit.store.claim(fresh, "b", ids, 0);
        Set<String> stored = kit.store.storeSigned(stale, List.of(sign(j, fakeUtxo(1000))));
        assertTrue(stored.isEmpty());
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id = '" + j.jobId() + "'"));
    }

    @Test
    void handBack_returnsOnlyUnsignedJobsOfThatBatchToQueued() {
        List<String> ids = kit.insertJobs(2);
        String batch = Ulid.generate();
        List<ClaimedJob> js = kit.store.claim(batch, "test", ids, 0).jobs();
        kit.store.storeSigned(batch, List.of(sign(js.get(0), fakeUtxo(1000))));
        List<String> back = kit.store.handBack(batch, ids);
        assertEquals(List.of(js.get(1).jobId()), back);
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed' AND job_id = '" + js.get(0).jobId() + "'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND processing_batch_id IS NULL AND job_id = '" + js.get(1).jobId() + "'"));
    }

    @Test
    void requeueStuckProcessing_leavesSignedAndRecentJobsAlone() {
        List<String> ids = kit.insertJobs(3);
        String batch = Ulid.generate();
        List<ClaimedJob> js = kit.store.claim(batch, "test", ids, 0).jobs();
        kit.store.storeSigned(batch, List.of(sign(js.get(0), fakeUtxo(1000))));
        kit.sql("UPDATE publish_jobs SET processing_at = now() - interval '3 minutes' WHERE job_id IN ('"
                + js.get(0).jobId() + "','" + js.get(1).jobId() + "')");
        // js[2] was claimed just now: inside the threshold
        List<String> rescued = kit.store.requeueStuckProcessing(Duration.ofMinutes(2));
        assertEquals(List.of(js.get(1).jobId()), rescued);
    }

    @Test
    void discardForResign_deletesSpendsAndRequeuesTheJobLegally() {
        List<String> ids = kit.insertJobs(1);
        String batch = Ulid.generate();
        ClaimedJob j = kit.store.claim(batch, "test", ids, 0).jobs().get(0);
        SignedJob s = sign(j, fakeUtxo(1000));
        kit.store.storeSigned(batch, List.of(s));
        assertTrue(kit.store.discardForResign(j.jobId(), s.tx().txid(), "rejected 465: fee too low"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND raw_tx IS NULL AND txid IS NULL AND job_id = '" + j.jobId() + "'"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id = '" + j.jobId() + "'"));
        assertEquals(List.of("queued", "processing", "signed", "processing", "queued"),
                kit.strings("SELECT to_status FROM publish_job_transitions WHERE job_id = '" + j.jobId() + "' ORDER BY id"));
        // both backward steps say why, in the audit trail
        assertEquals(List.of("re-sign: rejected 465: fee too low", "re-sign: rejected 465: fee too low"),
                kit.strings("SELECT reason FROM publish_job_transitions WHERE job_id = '" + j.jobId()
                        + "' AND from_status IN ('signed', 'processing') AND to_status IN ('processing', 'queued') AND id > ("
                        + "SELECT min(id) FROM publish_job_transitions WHERE job_id = '" + j.jobId() + "' AND to_status = 'signed') ORDER BY id"));
        // a second discard of the same txid changes nothing
        assertTrue(!kit.store.discardForResign(j.jobId(), s.tx().txid(), "again"));
    }

    @Test
    void markSent_isIdempotentAndOnlyForTheStoredTxid() {
        List<String> ids = kit.insertJobs(1);
        String batch = Ulid.generate();
        ClaimedJob j = kit.store.claim(batch, "test", ids, 0).jobs().get(0);
        SignedJob s = sign(j, fakeUtxo(1000));
        kit.store.storeSigned(batch, List.of(s));
        assertTrue(kit.store.markSent(Map.of(j.jobId(), sign(j, fakeUtxo(999)).tx().txid())).isEmpty());
        assertEquals(1, kit.store.markSent(Map.of(j.jobId(), s.tx().txid())).size());
        assertTrue(kit.store.markSent(Map.of(j.jobId(), s.tx().txid())).isEmpty());
    }

    @Test
    void failSigned_recordsTheCodeAndFreesTheOutpoint() {
        List<String> ids = kit.insertJobs(1);
        String batch = Ulid.generate();
        ClaimedJob j = kit.store.claim(batch, "test", ids, 0).jobs().get(0);
        SignedJob s = sign(j, fakeUtxo(1000));
        kit.store.storeSigned(batch, List.of(s));
        assertTrue(kit.store.failSigned(j.jobId(), s.tx().txid(), "ARC_461", "script failed"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed' AND error_code = 'ARC_461' AND job_id = '" + j.jobId() + "'"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id = '" + j.jobId() + "'"));
    }

    @Test
    void queuedWithoutBatch_respectsTheAgeThreshold() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<String> ids = kit.insertJobs(2);
        kit.sql("UPDATE publish_jobs SET created_at = now() - interval '1 minute' WHERE job_id = '" + ids.get(0) + "'");
        assertEquals(List.of(ids.get(0)), kit.store.queuedWithoutBatch(Duration.ofSeconds(30), 100));
        assertEquals(2, kit.store.queuedWithoutBatch(Duration.ZERO, 100).size());
    }
}
