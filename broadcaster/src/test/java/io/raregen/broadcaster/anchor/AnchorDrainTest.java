package io.raregen.broadcaster.anchor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.headers.HeaderSettings;
import io.raregen.broadcaster.headers.HeaderStore;
import io.raregen.broadcaster.headers.HttpBlockHeaderSource;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.support.ChainAndQueue;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.core.anchor.Anchor;
import io.raregen.core.anchor.AnchorHash;
import io.raregen.core.anchor.AnchorScript;
import io.raregen.core.anchor.AnchorTree;
import io.raregen.core.anchor.InclusionProof;
import io.raregen.core.anchor.RecordLeaf;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.types.BatchId;
import io.raregen.localchain.blocks.Block;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anchor-mode jobs drain through the anchoring window against the local chain, Postgres and ElasticMQ: one anchor
 * transaction per window, every job's leaf verifies against the root in the transaction the chain accepted, record
 * jobs mixed in still get a transaction each, satoshis are conserved, and a crash between storing and sending
 * resends the same bytes.
 */
class AnchorDrainTest extends ChainAndQueue {

    private AnchorSettings fastAnchors() {
        AnchorSettings s = new AnchorSettings();
        s.setWindow(Duration.ofMillis(500));
        s.setRebroadcastAfter(Duration.ofSeconds(1));
        s.setConfirmationInterval(Duration.ofMillis(300));
        s.setConfirmationMinAge(Duration.ofMillis(100));
        return s;
    }

    private PublishPipeline pipeline(RecoverySettings recovery, PipelineHooks hooks, String instance, String queue) {
        PublishPipeline p = kit.pipeline(kit.fastPipeline(), recovery, RateLimiter.unlimited(),
                queue == null ? null : sqs.client, queue, hooks, instance);
        p.anchorWith(fastAnchors(), new AnchorStore(kit.dataSource()));
        return p;
    }

    private List<String> insertAnchorJobs(int n) {
        return kit.insertJobs(n, "anchor");
    }

    private long anchorSent() {
        return kit.scalar("SELECT count(*) FROM publish_jobs WHERE mode = 'anchor' AND status IN ('sent', 'mined')");
    }

    @Test
    void anchorJobsDrainInOneTransactionPerWindow_everyLeafVerifiesOnChain_recordJobsUnchanged_satoshisConserved()
            throws Exception {
        kit.fundPool(60, 1000);
        long poolBefore = Invariants.poolSats(kit);
        List<String> anchored = insertAnchorJobs(300);
        List<String> records = kit.insertJobs(40);
        String queue = sqs.createQueue();
        List<String> all = new ArrayList<>(anchored);
        all.addAll(records);
        sqs.sendJobIds(queue, all);

        PublishPipeline p = pipeline(kit.fastRecovery(), PipelineHooks.NONE, "anchoring", queue);
        p.start();
        try {
            assertEquals(300, awaitAnchorSent(300));
            assertEquals(40, kit.awaitScalar("SELECT count(*) FROM publish_jobs j JOIN job_states s USING (job_id) WHERE j.mode = 'record' AND s.status = 'sent'",
                    40, Duration.ofSeconds(60)));
            assertEquals(1, kit.scalar("SELECT count(*) FROM anchor_batches"), "the 300 queued jobs: one window, one transaction");
            assertEquals(300, kit.scalar("SELECT tree_size FROM anchor_batches"));

            // a second window for what arrives later
            List<String> later = insertAnchorJobs(120);
            sqs.sendJobIds(queue, later);
            assertEquals(420, awaitAnchorSent(420));
            assertEquals(2, kit.scalar("SELECT count(*) FROM anchor_batches"));
            assertEquals(120, kit.scalar("SELECT tree_size FROM anchor_batches ORDER BY signed_at DESC LIMIT 1"));

            // no anchor job has a transaction of its own; every record job has one
            assertEquals(0, kit.scalar("SELECT count(*) FROM publish_jobs WHERE mode = 'anchor' AND txid IS NOT NULL"));
            assertEquals(40, kit.scalar("SELECT count(DISTINCT txid) FROM publish_jobs WHERE mode = 'record'"));

            for (String batch : kit.strings("SELECT batch_id FROM anchor_batches")) {
                assertEveryLeafVerifiesAgainstTheChainsTransaction(batch);
            }

            // mined: the batch keeps the block and the BUMP, its jobs follow
            kit.chain.mineBlock();
            assertEquals(420, kit.awaitScalar("SELECT count(*) FROM publish_jobs WHERE mode = 'anchor' AND status = 'mined'",
                    420, Duration.ofSeconds(30)));
            assertEquals(0, kit.scalar("SELECT count(*) FROM anchor_batches WHERE status <> 'mined' OR merkle_path IS NULL "
                    + "OR block_hash IS NULL"));
        } finally {
            p.close();
        }
        long recordFees = kit.scalar("SELECT coalesce(sum(j.fee_sats), 0) FROM publish_jobs j JOIN job_states s USING (job_id) WHERE s.status IN ('sent', 'mined')");
        long anchorFees = kit.scalar("SELECT coalesce(sum(fee_sats), 0) FROM anchor_batches WHERE status IN ('sent', 'mined')");
        assertTrue(anchorFees > 0);
        assertEquals(poolBefore, Invariants.poolSats(kit) + recordFees + anchorFees, "pool before = after + all fees");
        assertEquals(0, kit.pool.snapshot().conservationGapSats(), "the pool's own audit balances with anchors");
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved'"));
        Invariants.assertTransitionsLegal(kit);
        assertEquals(420, kit.scalar("SELECT count(*) FROM publish_job_transitions t JOIN publish_jobs j USING (job_id) "
                + "WHERE j.mode = 'anchor' AND t.to_status = 'signed'"), "each anchor job signed once");
    }

    @Test
    void crashBetweenStoreAndSend_aFreshInstanceSendsTheStoredBytes_neverResigned() throws Exception {
        kit.fundPool(5, 1000);
        insertAnchorJobs(50);
        RecoverySettings off = kit.fastRecovery();
        off.setEnabled(false);
        PublishPipeline a = pipeline(off, new PipelineHooks() {
            @Override
            public void afterStore(BatchId batchId) {
                throw new PipelineHooks.SimulatedCrash("after storing anchor batch " + batchId);
            }
        }, "crashing", null);
        a.start();
        assertEquals(1, kit.awaitScalar("SELECT count(*) FROM anchor_batches WHERE status = 'signed'", 1, Duration.ofSeconds(30)));
        a.kill();
        String txid = kit.strings("SELECT txid FROM anchor_batches").get(0);
        byte[] raw = rawTx(txid);
        assertNull(kit.chain.status(txid), "nothing was broadcast before the crash");
        assertEquals(50, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'signed'"));

        kit.sql("UPDATE utxos SET reserved_until = now() WHERE status = 'reserved' AND reserved_by = 'crashing'");
        PublishPipeline b = pipeline(kit.fastRecovery(), PipelineHooks.NONE, "fresh", null);
        b.start();
        try {
            assertEquals(50, awaitAnchorSent(50));
        } finally {
            b.close();
        }
        assertEquals(1, kit.scalar("SELECT count(*) FROM anchor_batches"), "not re-signed");
        assertEquals(txid, kit.strings("SELECT txid FROM anchor_batches").get(0));
        assertArrayEquals(raw, rawTx(txid), "the stored bytes went out");
        assertNotNull(kit.chain.status(txid), "the chain has the stored transaction");
        assertEquals(1, kit.scalar("SELECT count(*) FROM spends WHERE spending_txid = '" + txid + "'"));
        Invariants.assertTransitionsLegal(kit);
    }

    @Test
    void crashAfterClaimBeforeStoring_leavesTheJobsQueued_andTheyAreAnchoredOnce() throws Exception {
        kit.fundPool(5, 1000);
        insertAnchorJobs(30);
        RecoverySettings off = kit.fastRecovery();
        off.setEnabled(false);
        java.util.concurrent.atomic.AtomicInteger crashes = new java.util.concurrent.atomic.AtomicInteger();
        PublishPipeline a = pipeline(off, new PipelineHooks() {
            @Override
            public void beforeStore(BatchId batchId) {
                crashes.incrementAndGet();
                throw new PipelineHooks.SimulatedCrash("after claiming, reserving and signing anchor batch " + batchId);
            }
        }, "crashing", null);
        a.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (crashes.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        a.kill();
        assertTrue(crashes.get() > 0, "instance A reached the crash window");
        assertEquals(0, kit.scalar("SELECT count(*) FROM anchor_batches"));
        assertEquals(30, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'queued'"), "nothing of the batch was written");
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved'"), "its input was released at once");

        PublishPipeline b = pipeline(kit.fastRecovery(), PipelineHooks.NONE, "fresh", null);
        b.start();
        try {
            assertEquals(30, awaitAnchorSent(30));
        } finally {
            b.close();
        }
        assertEquals(1, kit.scalar("SELECT count(*) FROM anchor_batches"));
        assertEquals(30, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"), "signed once each");
        assertEveryLeafVerifiesAgainstTheChainsTransaction(kit.strings("SELECT batch_id FROM anchor_batches").get(0));
        Invariants.assertTransitionsLegal(kit);
    }

    @Test
    void aRefusedAnchorTransaction_isDiscarded_andItsJobsAreAnchoredAgainInTheNextWindow() throws Exception {
        kit.fundPool(5, 1000);
        long poolBefore = Invariants.poolSats(kit);
        insertAnchorJobs(40);
        kit.chain.faults().rejectNext(1);
        PublishPipeline p = pipeline(kit.fastRecovery(), PipelineHooks.NONE, "anchoring", null);
        p.start();
        try {
            assertEquals(40, awaitAnchorSent(40));
        } finally {
            p.close();
        }
        assertEquals(1, kit.scalar("SELECT count(*) FROM anchor_batches WHERE status = 'rejected'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM anchor_batches WHERE status = 'sent'"));
        String refused = kit.strings("SELECT txid FROM anchor_batches WHERE status = 'rejected'").get(0);
        assertEquals("REJECTED", kit.chain.status(refused).status().name(), "the chain refused it");
        assertEquals(0, kit.scalar("SELECT count(*) FROM spends WHERE spending_txid = '" + refused + "'"),
                "the refused transaction's input is free again");
        assertEquals(80, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE to_status = 'signed'"),
                "every job was signed into the refused batch, then into the next one");
        assertEquals(40, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE from_status = 'signed' "
                + "AND to_status = 'processing'"));
        assertEveryLeafVerifiesAgainstTheChainsTransaction(kit.strings("SELECT batch_id FROM anchor_batches WHERE status = 'sent'").get(0));
        long anchorFees = kit.scalar("SELECT coalesce(sum(fee_sats), 0) FROM anchor_batches WHERE status = 'sent'");
        assertEquals(poolBefore, Invariants.poolSats(kit) + anchorFees, "pool before = after + the accepted anchor's fee");
        assertEquals(0, kit.pool.snapshot().conservationGapSats());
        Invariants.assertTransitionsLegal(kit);
    }

    @Test
    void anAnchorBatchInAReorganisedBlock_goesBackToSentWithItsJobs_thenOnToTheNewBlock() throws Exception {
        kit.fundPool(3, 1000);
        insertAnchorJobs(10);
        HeaderSettings headers = new HeaderSettings();
        headers.setUrl(kit.chain.arcUrl() + "/admin/blocks/{hash}");
        headers.setHeightUrl(kit.chain.arcUrl() + "/admin/blocks/{height}");
        RecoverySettings off = kit.fastRecovery();
        off.setEnabled(false);
        PublishPipeline p = pipeline(off, PipelineHooks.NONE, "anchoring", null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        p.checkInclusion(new HttpBlockHeaderSource(headers.getUrl(), headers.getHeightUrl(), Duration.ofSeconds(5)),
                new HeaderStore(kit.dataSource()), headers, registry);
        p.start();
        try {
            assertEquals(10, awaitAnchorSent(10));
            Loop rescue = loop(p, "anchor-rescue");
            Loop watch = loop(p, "reorg-watch");
            Block old = kit.chain.mineBlock();
            Thread.sleep(150); // the confirmation poll's minimum age
            assertEquals(1, rescue.runOnce(), "the anchor batch found mined, its path checked against the header");
            assertEquals(10, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined'"));
            assertEquals(old.hash(), kit.strings("SELECT block_hash FROM anchor_batches").get(0));

            Block fresh = kit.chain.reorg(1).newBlock();
            watch.runOnce();
            assertEquals("sent", kit.strings("SELECT status FROM anchor_batches").get(0));
            assertEquals(10, kit.scalar("SELECT count(*) FROM job_states WHERE status = 'sent'"));
            assertEquals(10, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE from_status = 'mined' "
                    + "AND to_status = 'sent' AND reason LIKE 'reorg: block " + old.hash() + "%'"), "audited with the reason");

            Thread.sleep(350); // the confirmation interval
            assertEquals(1, rescue.runOnce());
            assertEquals(fresh.hash(), kit.strings("SELECT block_hash FROM anchor_batches WHERE status = 'mined'").get(0));
            assertEquals(10, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined'"));
        } finally {
            p.close();
        }
    }

    private static Loop loop(PublishPipeline p, String name) {
        return p.recoveryLoops().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private long awaitAnchorSent(long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (anchorSent() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return anchorSent();
    }

    private byte[] rawTx(String txid) throws Exception {
        try (Connection c = kit.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT raw_tx FROM anchor_batches WHERE txid = ?")) {
            ps.setString(1, txid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /** Rebuilds the batch's leaves from the stored envelopes and checks each against the transaction's anchor. */
    private void assertEveryLeafVerifiesAgainstTheChainsTransaction(String batchId) throws Exception {
        String txid = kit.strings("SELECT txid FROM anchor_batches WHERE batch_id = '" + batchId + "'").get(0);
        byte[] raw = rawTx(txid);
        assertEquals(txid, RawTransaction.parse(raw).txid().hex(), "the stored bytes are the transaction");
        assertNotNull(kit.chain.status(txid), "the chain accepted the anchor transaction");
        Anchor anchor = AnchorScript.fromRawTransaction(raw).orElseThrow().anchor();
        assertEquals(batchId, anchor.batchId().value());
        List<AnchorHash> digests = new ArrayList<>();
        try (Connection c = kit.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT signed_payload, signature, pubkey, anchor_leaf_index, anchor_path "
                     + "FROM publish_jobs WHERE anchor_batch_id = ? ORDER BY anchor_leaf_index")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int leaf = rs.getInt(4);
                    assertEquals(digests.size(), leaf, "leaf indexes are 0..n-1");
                    AnchorHash digest = RecordLeaf.digest(new Envelope(rs.getString(1), rs.getString(2), rs.getString(3)));
                    digests.add(digest);
                    // the path stored for the receipt leads from the record to the root on chain
                    byte[] stored = rs.getBytes(5);
                    List<AnchorHash> path = new ArrayList<>();
                    for (int k = 0; k < stored.length; k += 32) {
                        path.add(AnchorHash.of(java.util.Arrays.copyOfRange(stored, k, k + 32)));
                    }
                    assertTrue(anchor.verify(digest, new InclusionProof(leaf, anchor.treeSize(), path)),
                            "stored path of leaf " + leaf + " of " + batchId);
                }
            }
        }
        assertEquals(anchor.treeSize(), digests.size());
        AnchorTree tree = AnchorTree.of(digests);
        assertEquals(anchor.root(), tree.root(), "the stored envelopes in leaf order rebuild the anchored root");
        assertEquals(2, RawTransaction.parse(raw).outputs().size(), "the anchor and the change");
        assertEquals(1, RawTransaction.parse(raw).inputs().size(), "one pool input");
    }
}
