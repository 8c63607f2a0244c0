package io.raregen.broadcaster.store;

import io.raregen.broadcaster.support.JobIds;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
    void claim_locksJobsNumberedByJobIdAndWritesNothingUntilStored() {
        List<JobId> ids = JobIds.of(kit.insertJobs(5));
        BatchId batch = BatchId.generate();
        try (PublishJobStore.Claim claim = kit.store.claim(batch, "test", ids, 0)) {
            assertEquals(5, claim.jobs().size());
            List<JobId> sorted = new ArrayList<>(ids);
            sorted.sort(Comparator.comparing(JobId::value));
            for (int i = 0; i < 5; i++) {
                assertEquals(i + 1, claim.jobs().get(i).batchSeq());
                assertEquals(sorted.get(i), claim.jobs().get(i).jobId());
                assertEquals(1, claim.jobs().get(i).attempts());
            }
            // held, not written: still queued, no batch row, and another claim skips them
            assertEquals(5, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND attempts = 0 AND job_id IN ("
                    + quoted(ids) + ")"));
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches WHERE batch_id = '" + batch + "'"));
            assertTrue(kit.store.claim(BatchId.generate(), "test", ids, 0).jobs().isEmpty());
        }
        // ended without storing: nothing happened, a new claim gets them all
        try (PublishJobStore.Claim again = kit.store.claim(BatchId.generate(), "test", ids, 0)) {
            assertEquals(5, again.jobs().size());
        }
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status <> 'queued' AND job_id IN ("
                + quoted(ids) + ")"));
    }

    @Test
    void claim_ofStoredJobs_claimsNothing() {
        List<JobId> ids = JobIds.of(kit.insertJobs(3));
        PublishJobStore.Claim first = kit.store.claim(BatchId.generate(), "test", ids, 0);
        kit.store.storeSigned(first, first.jobs().stream().map(j -> sign(j, fakeUtxo(1000))).toList());
        PublishJobStore.Claim again = kit.store.claim(BatchId.generate(), "test", ids, 0);
        assertTrue(again.jobs().isEmpty());
    }

    @Test
    void aQueuedJobWithATransactionRow_isNeitherClaimedNorReconciled() {
        // GIVEN queued jobs, one of which has a transaction row, as a release that records a job's signed state in
        // that row alone (and leaves the job row queued) would leave it while it runs beside this one in a deploy
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<JobId> ids = JobIds.of(kit.insertJobs(3));
        JobId storedElsewhere = ids.get(1);
        kit.sql("INSERT INTO publish_job_transactions (job_id, raw_tx) VALUES ('" + storedElsewhere + "', '\\x0100')");

        // WHEN claimed by id and from the backlog, and when the reconciler looks for queued jobs no batch holds
        List<JobId> byId;
        try (PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", ids, 0)) {
            byId = claim.jobs().stream().map(ClaimedJob::jobId).toList();
        }
        List<JobId> fromBacklog;
        try (PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", List.of(), 10)) {
            fromBacklog = claim.jobs().stream().map(ClaimedJob::jobId).toList();
        }
        List<JobId> reconciled = kit.store.queuedWithoutBatch(Duration.ZERO, 100);

        // THEN that job is left alone every way, and the others are claimed and reconciled as before
        List<JobId> others = List.of(ids.get(0), ids.get(2));
        assertEquals(Set.copyOf(others), Set.copyOf(byId));
        assertEquals(Set.copyOf(others), Set.copyOf(fromBacklog));
        assertEquals(Set.copyOf(others), Set.copyOf(reconciled));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND attempts = 0 AND job_id = '"
                + storedElsewhere + "'"));
    }

    @Test
    void claim_unknownIds_areReportedAsNotExisting() {
        JobId ghost = JobId.generate();
        assertTrue(kit.store.claim(BatchId.generate(), "test", List.of(ghost), 0).jobs().isEmpty());
        assertTrue(kit.store.existing(List.of(ghost)).isEmpty());
    }

    @Test
    void claim_withBacklogLimit_topsUpWithOldestQueuedJobs() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<JobId> older = JobIds.of(kit.insertJobs(4));
        List<JobId> named = JobIds.of(kit.insertJobs(1));
        try (PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", named, 2)) {
            List<JobId> got = claim.jobs().stream().map(ClaimedJob::jobId).toList();
            assertEquals(3, got.size());
            assertTrue(got.containsAll(named));
            assertTrue(got.contains(older.get(0)) && got.contains(older.get(1)), "oldest first: " + got);
        }
    }

    @Test
    void storeSigned_movesJobsQueuedToSignedInOneWriteAndRecordsEverySpentOutpoint() {
        List<JobId> ids = JobIds.of(kit.insertJobs(3));
        BatchId batch = BatchId.generate();
        PublishJobStore.Claim claim = kit.store.claim(batch, "test", ids, 0);
        List<SignedJob> signed = new ArrayList<>();
        for (ClaimedJob j : claim.jobs()) {
            signed.add(sign(j, fakeUtxo(1000)));
        }
        Set<JobId> stored = kit.store.storeSigned(claim, signed);
        assertEquals(Set.copyOf(ids), stored);
        for (SignedJob s : signed) {
            assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed' AND txid = '"
                    + s.tx().txid().hex() + "' AND raw_tx IS NULL AND fee_sats = " + s.tx().fee().value()
                    + " AND attempts = 1 AND processing_batch_id = '" + batch + "' AND batch_seq = " + s.batchSeq()));
            // its bytes, once, in their own table (V43)
            assertEquals(1, kit.scalar("SELECT count(*) FROM publish_job_transactions WHERE job_id = '" + s.jobId()
                    + "' AND raw_tx = '\\x" + java.util.HexFormat.of().formatHex(s.tx().raw()) + "'::bytea"));
            Outpoint in = s.tx().inputs().get(0).outpoint();
            assertEquals(1, kit.scalar("SELECT count(*) FROM spends WHERE outpoint_txid = '" + in.txid().hex()
                    + "' AND outpoint_vout = 0 AND job_id = '" + s.jobId() + "' AND spending_txid = '" + s.tx().txid().hex() + "'"));
            assertEquals(List.of("queued", "signed"),
                    kit.strings("SELECT to_status FROM publish_job_transitions WHERE job_id = '" + s.jobId() + "' ORDER BY id"));
            // the audit trail is where a batch's transactions stay recorded, whatever later happens to the job
            assertEquals(List.of(s.tx().txid().hex()), kit.strings("SELECT txid FROM publish_job_transitions WHERE job_id = '"
                    + s.jobId() + "' AND to_status = 'signed'"));
        }
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_batches WHERE status = 'broadcasting' AND job_count = 3 "
                + "AND batch_id = '" + batch + "'"));
    }

    @Test
    void storeSigned_whenAnOutpointIsAlreadySpentByAStoredTx_storesNothingOfTheBatchAndItsJobsStayQueued() {
        Utxo shared = fakeUtxo(1000);
        List<JobId> first = JobIds.of(kit.insertJobs(1));
        PublishJobStore.Claim c1 = kit.store.claim(BatchId.generate(), "test", first, 0);
        kit.store.storeSigned(c1, List.of(sign(c1.jobs().get(0), shared)));

        List<JobId> second = JobIds.of(kit.insertJobs(2));
        BatchId b2 = BatchId.generate();
        PublishJobStore.Claim c2 = kit.store.claim(b2, "test", second, 0);
        List<ClaimedJob> js = c2.jobs();
        List<SignedJob> batch = List.of(sign(js.get(0), fakeUtxo(1000)), sign(js.get(1), shared));
        assertThrows(StoreException.class, () -> kit.store.storeSigned(c2, batch));
        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND txid IS NULL "
                + "AND processing_batch_id IS NULL AND job_id IN (" + quoted(second) + ")"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_job_transactions WHERE job_id IN (" + quoted(second) + ")"),
                "no bytes of a batch that was not stored");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches WHERE batch_id = '" + b2 + "'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM spends WHERE outpoint_txid = '" + shared.outpoint().txid().hex() + "'"));
        // and the claim has ended: the jobs are free for the next one
        try (PublishJobStore.Claim c3 = kit.store.claim(BatchId.generate(), "test", second, 0)) {
            assertEquals(2, c3.jobs().size());
        }
    }

    @Test
    void storeSigned_ofAJobTheClaimDoesNotHold_storesNothingOfTheBatch() {
        List<JobId> done = JobIds.of(kit.insertJobs(1));
        SignedJob alreadyStored = claimAndStore(done).get(0);
        List<JobId> ids = JobIds.of(kit.insertJobs(1));
        PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", ids, 0);
        SignedJob mine = sign(claim.jobs().get(0), fakeUtxo(1000));
        SignedJob stranger = new SignedJob(alreadyStored.jobId(), claim.batchId(), 2,
                sign(claim.jobs().get(0), fakeUtxo(1000)).tx(), alreadyStored.createdAt(), 1);
        assertThrows(StoreException.class, () -> kit.store.storeSigned(claim, List.of(mine, stranger)));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND txid IS NULL AND job_id = '"
                + ids.get(0) + "'"), "all or nothing: the held job is not stored either");
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_batches WHERE batch_id = '" + claim.batchId() + "'"));
    }

    @Test
    void aClaimWhoseHolderStallsPastTheIdleLimit_isEndedByPostgresAndItsJobsGoToTheNextClaim() throws Exception {
        PublishJobStore stalling = new PublishJobStore(kit.ds, Duration.ofMillis(300));
        List<JobId> ids = JobIds.of(kit.insertJobs(2));
        PublishJobStore.Claim stalled = stalling.claim(BatchId.generate(), "stalled", ids, 0);
        assertEquals(2, stalled.jobs().size());
        List<SignedJob> signed = stalled.jobs().stream().map(j -> sign(j, fakeUtxo(1000))).toList();
        Thread.sleep(1_500); // the holder freezes between claim and store
        try (PublishJobStore.Claim next = kit.store.claim(BatchId.generate(), "alive", ids, 0)) {
            assertEquals(2, next.jobs().size(), "Postgres ended the stalled claim: its jobs are free");
        }
        assertThrows(StoreException.class, () -> stalling.storeSigned(stalled, signed), "the stalled holder stores nothing");
        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND txid IS NULL AND job_id IN ("
                + quoted(ids) + ")"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id IN (" + quoted(ids) + ")"));
    }

    @Test
    void failUnsigned_lastsOnlyWithTheClaim_releasedKeepsItClosedForgetsIt() {
        List<JobId> ids = JobIds.of(kit.insertJobs(2));
        try (PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", ids, 0)) {
            assertTrue(kit.store.failUnsigned(claim, ids.get(0), "RECORD_UNENCODABLE", "too big"));
        }
        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND job_id IN (" + quoted(ids) + ")"),
                "a claim that ends without storing leaves no trace, its failures included");
        PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", ids, 0);
        assertTrue(kit.store.failUnsigned(claim, ids.get(0), "RECORD_UNENCODABLE", "too big"));
        claim.release();
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed' AND error_code = 'RECORD_UNENCODABLE' "
                + "AND job_id = '" + ids.get(0) + "'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND job_id = '" + ids.get(1) + "'"));
        try (PublishJobStore.Claim next = kit.store.claim(BatchId.generate(), "test", ids, 0)) {
            assertEquals(List.of(ids.get(1)), next.jobs().stream().map(ClaimedJob::jobId).toList());
        }
    }

    private static String quoted(List<JobId> ids) {
        return String.join(",", ids.stream().map(i -> "'" + i + "'").toList());
    }

    /** Claims and stores each job with a fresh fake input; returns the signed jobs in claim order. */
    private static List<SignedJob> claimAndStore(List<JobId> ids) {
        PublishJobStore.Claim claim = kit.store.claim(BatchId.generate(), "test", ids, 0);
        List<SignedJob> signed = claim.jobs().stream().map(j -> sign(j, fakeUtxo(1000))).toList();
        kit.store.storeSigned(claim, signed);
        return signed;
    }

    @Test
    void requeueStuckProcessing_leavesSignedAndRecentJobsAlone() {
        // 'processing' is what a broadcaster before V39 wrote at claim; such rows may outlive a rolling deploy
        List<JobId> ids = JobIds.of(kit.insertJobs(3));
        claimAndStore(List.of(ids.get(0)));
        kit.sql("UPDATE publish_jobs SET status = 'processing', processing_at = now() WHERE job_id IN ('"
                + ids.get(1) + "','" + ids.get(2) + "')");
        kit.sql("UPDATE publish_jobs SET processing_at = now() - interval '3 minutes' WHERE job_id IN ('"
                + ids.get(0) + "','" + ids.get(1) + "')");
        // ids[2] was claimed just now: inside the threshold; ids[0] is signed
        List<JobId> rescued = kit.store.requeueStuckProcessing(Duration.ofMinutes(2));
        assertEquals(List.of(ids.get(1)), rescued);
    }

    @Test
    void discardForResign_deletesSpendsAndRequeuesTheJobLegally() {
        List<JobId> ids = JobIds.of(kit.insertJobs(1));
        SignedJob s = claimAndStore(ids).get(0);
        assertTrue(kit.store.discardForResign(s.jobId(), s.tx().txid(), "rejected 465: fee too low"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued' AND raw_tx IS NULL AND txid IS NULL AND job_id = '" + s.jobId() + "'"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM publish_job_transactions WHERE job_id = '" + s.jobId() + "'"),
                "the discarded transaction's bytes are gone");
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id = '" + s.jobId() + "'"));
        assertEquals(List.of("queued", "signed", "processing", "queued"),
                kit.strings("SELECT to_status FROM publish_job_transitions WHERE job_id = '" + s.jobId() + "' ORDER BY id"));
        // both backward steps say why, in the audit trail
        assertEquals(List.of("re-sign: rejected 465: fee too low", "re-sign: rejected 465: fee too low"),
                kit.strings("SELECT reason FROM publish_job_transitions WHERE job_id = '" + s.jobId()
                        + "' AND from_status IN ('signed', 'processing') AND to_status IN ('processing', 'queued') AND id > ("
                        + "SELECT min(id) FROM publish_job_transitions WHERE job_id = '" + s.jobId() + "' AND to_status = 'signed') ORDER BY id"));
        // a second discard of the same txid changes nothing
        assertTrue(!kit.store.discardForResign(s.jobId(), s.tx().txid(), "again"));
    }

    @Test
    void markSent_isIdempotentAndOnlyForTheStoredTxid() {
        List<JobId> ids = JobIds.of(kit.insertJobs(1));
        SignedJob s = claimAndStore(ids).get(0);
        assertTrue(kit.store.markSent(Map.of(s.jobId(), fakeUtxo(999).outpoint().txid())).isEmpty());
        assertEquals(1, kit.store.markSent(Map.of(s.jobId(), s.tx().txid())).size());
        assertTrue(kit.store.markSent(Map.of(s.jobId(), s.tx().txid())).isEmpty());
    }

    @Test
    void failSigned_recordsTheCodeAndFreesTheOutpoint() {
        List<JobId> ids = JobIds.of(kit.insertJobs(1));
        SignedJob s = claimAndStore(ids).get(0);
        assertTrue(kit.store.failSigned(s.jobId(), s.tx().txid(), "ARC_461", "script failed"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'failed' AND error_code = 'ARC_461' AND job_id = '" + s.jobId() + "'"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE job_id = '" + s.jobId() + "'"));
    }

    @Test
    void queuedWithoutBatch_respectsTheAgeThreshold() {
        kit.sql("UPDATE publish_jobs SET status = 'failed', error_code = 'TEST' WHERE status = 'queued'");
        List<JobId> ids = JobIds.of(kit.insertJobs(2));
        kit.sql("UPDATE publish_jobs SET created_at = now() - interval '1 minute' WHERE job_id = '" + ids.get(0) + "'");
        assertEquals(List.of(ids.get(0)), kit.store.queuedWithoutBatch(Duration.ofSeconds(30), 100));
        assertEquals(2, kit.store.queuedWithoutBatch(Duration.ZERO, 100).size());
    }
}
