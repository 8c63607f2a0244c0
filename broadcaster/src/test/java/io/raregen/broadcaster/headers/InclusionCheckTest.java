package io.raregen.broadcaster.headers;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.recovery.ConfirmationTracker;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.support.Invariants;
import io.raregen.broadcaster.support.TestKit;
import io.raregen.core.proof.BlockHeader;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;
import io.raregen.localchain.blocks.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Merkle paths are checked against the local chain's own headers ({@code /admin/blocks/{hash}}, not the ARC
 * answer) before jobs are mined; a wrong path keeps the job sent; a reorg moves jobs back to sent and on to
 * the new block. Real Postgres, the in-process local chain over HTTP.
 */
class InclusionCheckTest {
    private TestKit kit;
    private SimpleMeterRegistry registry;
    private PublishPipeline pipeline;
    private HeaderSettings settings;

    @BeforeEach
    void setUp() {
        kit = new TestKit().withChain(b -> b.fee(3, 1000));
        registry = new SimpleMeterRegistry();
        settings = new HeaderSettings();
        settings.setUrl(kit.chain.arcUrl() + "/admin/blocks/{hash}");
        settings.setHeightUrl(kit.chain.arcUrl() + "/admin/blocks/{height}");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        kit.close();
    }

    /** Publishes {@code n} jobs up to sent (loops off) with the inclusion check wired; returns their ids. */
    private List<String> sentJobs(int n) throws Exception {
        kit.fundPool(n + 2, 1000);
        List<String> ids = kit.insertJobs(n);
        var rp = kit.fastRecovery();
        rp.setEnabled(false);
        pipeline = kit.pipeline(kit.fastPipeline(), rp, RateLimiter.unlimited(), null, null, PipelineHooks.NONE, "incl", registry);
        pipeline.checkInclusion(new HttpBlockHeaderSource(settings.getUrl(), settings.getHeightUrl(), Duration.ofSeconds(5)),
                new HeaderStore(kit.dataSource()), settings, registry);
        pipeline.start();
        ids.forEach(id -> pipeline.collector().offerNow(Incoming.fromLoop(new JobId(id))));
        assertEquals(n, kit.awaitScalar("SELECT count(*) FROM job_states WHERE status = 'sent' AND job_id IN (" + Invariants.in(ids)
                + ")", n, Duration.ofSeconds(30)));
        return ids;
    }

    private ConfirmationTracker tracker() {
        return new ConfirmationTracker(kit.store, new ArcTransactionBroadcaster(kit.arcProperties()), pipeline.applier(),
                Duration.ZERO, Duration.ofSeconds(1), 100);
    }

    private double checks(String outcome) {
        return registry.counter("raregen.merkle.checks", "outcome", outcome).count();
    }

    @Test
    void minedJobs_areCheckedAgainstTheIndependentHeader_whichIsStoredForReceipts() throws Exception {
        List<String> ids = sentJobs(3);
        Block block = kit.chain.mineBlock();
        assertEquals(3, tracker().runOnce());
        String in = Invariants.in(ids);
        assertEquals(3, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined' AND block_hash = '" + block.hash()
                + "' AND job_id IN (" + in + ")"));
        assertEquals(3.0, checks("verified"));
        byte[] header = HexFormat.of().parseHex(kit.strings("SELECT encode(header, 'hex') FROM block_headers WHERE block_hash = '"
                + block.hash() + "'").get(0));
        assertEquals(block.hash(), new BlockHeader(header).hash(), "the stored header hashes to the block");
        assertEquals(block.height(), kit.scalar("SELECT block_height FROM block_headers WHERE block_hash = '" + block.hash() + "'"));
    }

    @Test
    void aWrongMerklePathFromArc_keepsTheJobSent_andIsCounted() throws Exception {
        JobId jobId = new JobId(sentJobs(1).get(0));
        kit.chain.mineBlock();
        Txid txid = Txid.fromHex(kit.strings("SELECT txid FROM publish_jobs WHERE job_id = '" + jobId + "'").get(0));
        BroadcastResult real = new ArcTransactionBroadcaster(kit.arcProperties()).status(txid);
        assertEquals(BroadcastResult.Outcome.MINED, real.outcome());
        // what a faulty ARC might send: one byte of a sibling hash changed, or the path of another height
        byte[] path = HexFormat.of().parseHex(real.merklePathHex());
        path[path.length - 1] ^= 0x01;
        BroadcastResult wrongPath = withPath(real, HexFormat.of().formatHex(path), real.blockHeight());
        assertEquals(InclusionCheck.Outcome.MISMATCH, pipeline.applier().recordMined(jobId, txid, wrongPath).outcome());
        BroadcastResult wrongHeight = withPath(real, real.merklePathHex(), real.blockHeight() + 1);
        assertEquals(InclusionCheck.Outcome.MISMATCH, pipeline.applier().recordMined(jobId, txid, wrongHeight).outcome());
        BroadcastResult unknownBlock = new BroadcastResult(txid, BroadcastResult.Outcome.MINED, "MINED", null, null, null,
                "ab".repeat(32), real.blockHeight(), real.merklePathHex());
        assertEquals(InclusionCheck.Outcome.UNAVAILABLE, pipeline.applier().recordMined(jobId, txid, unknownBlock).outcome());
        assertEquals("sent", kit.strings("SELECT status FROM job_states WHERE job_id = '" + jobId + "'").get(0));
        assertEquals(2.0, checks("mismatch"));
        assertEquals(1.0, checks("unavailable"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM block_headers WHERE block_hash = '" + "ab".repeat(32) + "'"));

        // the true answer still gets through
        assertTrue(pipeline.applier().recordMined(jobId, txid, real).verified());
        assertEquals("mined", kit.strings("SELECT status FROM job_states WHERE job_id = '" + jobId + "'").get(0));
    }

    @Test
    void reorg_movesTheJobsBackToSent_thenToTheNewBlock_withTheReasonAudited() throws Exception {
        List<String> ids = sentJobs(2);
        String in = Invariants.in(ids);
        Block old = kit.chain.mineBlock();
        assertEquals(2, tracker().runOnce());
        Loop watch = pipeline.recoveryLoops().stream().filter(l -> l.name().equals("reorg-watch")).findFirst().orElseThrow();
        assertEquals(0, watch.runOnce(), "nothing moved while the block is on the chain");

        Block fresh = kit.chain.reorg(1).newBlock();
        assertNotEquals(old.hash(), fresh.hash());
        assertEquals(2, watch.runOnce());

        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined' AND block_hash = '" + fresh.hash()
                + "' AND job_id IN (" + in + ")"), "proof fetched again and checked against the new block");
        assertEquals(2, kit.scalar("SELECT count(*) FROM publish_job_transitions WHERE from_status = 'mined' AND to_status = 'sent' "
                + "AND reason LIKE 'reorg: block " + old.hash() + "%' AND job_id IN (" + in + ")"));
        assertEquals(0, kit.scalar("SELECT count(*) FROM block_headers WHERE block_hash = '" + old.hash() + "'"));
        assertEquals(1, kit.scalar("SELECT count(*) FROM block_headers WHERE block_hash = '" + fresh.hash() + "'"));
        assertEquals(1.0, registry.counter("raregen.reorgs").count());
        assertEquals(2.0, registry.counter("raregen.reorged.jobs").count());
    }

    @Test
    void aReorgedJobWhoseNewProofIsNotThereYet_isAskedAgainOnTheNextRound() throws Exception {
        String id = sentJobs(1).get(0);
        kit.chain.mineBlock();
        assertEquals(1, tracker().runOnce());
        // ARC gives no answer at first (the new block's callback may already have come and gone while the job was
        // still in the old block, and the poller waits long when callbacks are on)
        ArcTransactionBroadcaster arc = new ArcTransactionBroadcaster(kit.arcProperties());
        AtomicBoolean answering = new AtomicBoolean(false);
        TransactionBroadcaster notYet = new TransactionBroadcaster() {
            @Override
            public List<BroadcastResult> broadcast(List<SignedTransaction> transactions) {
                return arc.broadcast(transactions);
            }

            @Override
            public BroadcastResult status(Txid txid) {
                if (!answering.get()) {
                    throw new IllegalStateException("no answer yet");
                }
                return arc.status(txid);
            }
        };
        ReorgWatch watch = new ReorgWatch(new HeaderStore(kit.dataSource()),
                new HttpBlockHeaderSource(settings.getUrl(), settings.getHeightUrl(), Duration.ofSeconds(5)),
                pipeline.applier().inclusion(), notYet, pipeline.applier()::recordMined,
                settings, new SimpleMeterRegistry());

        Block fresh = kit.chain.reorg(1).newBlock();
        assertEquals(1, watch.runOnce());
        assertEquals("sent", kit.strings("SELECT status FROM job_states WHERE job_id = '" + id + "'").get(0));
        assertEquals(1, watch.awaiting());

        answering.set(true);
        assertEquals(0, watch.runOnce(), "no block left the chain since");
        assertEquals(1, kit.scalar("SELECT count(*) FROM publish_jobs WHERE status = 'mined' AND block_hash = '" + fresh.hash()
                + "' AND job_id = '" + id + "'"), "asked again, and mined in the new block");
        assertEquals(0, watch.awaiting());
    }

    private static BroadcastResult withPath(BroadcastResult r, String pathHex, Integer height) {
        return new BroadcastResult(r.txid(), r.outcome(), r.networkStatus(), r.errorCode(), r.detail(), r.competingTxs(),
                r.blockHash(), height, pathHex);
    }
}
