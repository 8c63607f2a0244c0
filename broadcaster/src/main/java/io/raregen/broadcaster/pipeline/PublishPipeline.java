package io.raregen.broadcaster.pipeline;

import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.anchor.AnchorResults;
import io.raregen.broadcaster.anchor.AnchorRescue;
import io.raregen.broadcaster.anchor.AnchorSettings;
import io.raregen.broadcaster.anchor.AnchorStore;
import io.raregen.broadcaster.anchor.AnchorWindow;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.broadcast.Broadcasting;
import io.raregen.broadcaster.collector.BatchCollector;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.headers.BlockHeaderSource;
import io.raregen.broadcaster.headers.HeaderSettings;
import io.raregen.broadcaster.headers.HeaderStore;
import io.raregen.broadcaster.headers.InclusionCheck;
import io.raregen.broadcaster.headers.ReorgWatch;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.receive.Incoming;
import io.raregen.broadcaster.receive.MessageAcker;
import io.raregen.broadcaster.receive.Queue;
import io.raregen.broadcaster.receive.SqsReceiver;
import io.raregen.broadcaster.recovery.ConfirmationTracker;
import io.raregen.broadcaster.recovery.FeeRefresh;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.loops.LoopScheduler;
import io.raregen.broadcaster.recovery.Reconciler;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.recovery.Rescuer;
import io.raregen.broadcaster.recovery.ReservationExpiry;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.sign.BatchSigner;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.utxo.Payer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole broadcaster, framework-free: SQS receivers → collector → batch pipeline, plus the
 * recovery loops. The Micronaut application and the tests build it the same way.
 */
public final class PublishPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PublishPipeline.class);

    /**
     * Everything the pipeline needs from outside: its settings, its instance's name, the job store, what pays
     * ({@link Payer}), the way to the network ({@link Broadcasting}), the queue ({@code null}: database only, the backlog
     * claim and the loops), and what watches it.
     */
    public record Parts(PipelineSettings pipeline, RecoverySettings recovery, String instanceId,
                        PublishJobStore store, Payer payer, Broadcasting broadcasting, Queue queue,
                        PipelineMetrics metrics, Heartbeats heartbeats, PipelineHooks hooks) {
    }

    private final Parts parts;
    private final MessageAcker acker;
    private final BatchSigner signer;
    private final BatchPipeline batches;
    private final BatchCollector collector;
    private final BatchSender sender;
    private final ResultApplier applier;
    private final List<SqsReceiver> receivers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LoopScheduler loops;
    private volatile boolean started;
    private boolean closed;
    private Duration feeRefreshInterval = Duration.ofMinutes(5);
    private Loop reorgWatch;
    private AnchorWindow anchorWindow;
    private AnchorResults anchorResults;
    private AnchorRescue anchorRescue;
    private LoopScheduler anchorLoops;

    public PublishPipeline(Parts p) {
        this.parts = p;
        PipelineSettings pp = p.pipeline();
        Payer payer = p.payer();
        Broadcasting net = p.broadcasting();
        this.acker = p.queue() == null ? null : new MessageAcker(p.queue().sqs(), p.queue().url(), 2);
        this.signer = new BatchSigner(pp.getSignThreads());
        // the collector is created after the pipeline it feeds; re-signs reach it through this indirection
        BatchCollector[] ref = new BatchCollector[1];
        this.applier = new ResultApplier(p.store(), payer.pool(), net.broadcaster(), payer.fees(), payer.key().p2pkhLockingScript(),
                id -> {
                    if (ref[0] != null) {
                        ref[0].offerNow(Incoming.fromLoop(id));
                    }
                }, p.metrics(), pp.getMaxAttempts(), pp.getPoolUpdateThreads());
        this.sender = new BatchSender(p.store(), net.broadcaster(), net.limiter(), applier, net.maxTxsPerRequest(),
                pp.getResolveAttempts(), pp.getResolveInitialBackoff(), p.recovery().getRebroadcastAfter().dividedBy(3));
        this.batches = new BatchPipeline(p, signer, sender, applier, acker);
        this.collector = new BatchCollector(pp.getMaxBatchSize(), pp.getWindow(), pp.getLinger(), pp.isBacklogClaim(),
                batches::submit, batches::starved, p.heartbeats());
        ref[0] = collector;
        this.loops = new LoopScheduler(p.heartbeats(), 2);
    }

    /** True while the drain is working through a backlog (claims come back full): other work should wait. */
    public boolean saturated() {
        return collector.claimingBacklog() || collector.pending() >= parts.pipeline().getMaxBatchSize();
    }

    public BatchCollector collector() {
        return collector;
    }

    public BatchSender sender() {
        return sender;
    }

    public ResultApplier applier() {
        return applier;
    }

    /** How anchor transactions' answers are applied, or null when the anchoring window is off. */
    public AnchorResults anchorResults() {
        return anchorResults;
    }

    public List<Loop> recoveryLoops() {
        RecoverySettings r = parts.recovery();
        Broadcasting net = parts.broadcasting();
        List<Loop> list = new ArrayList<>();
        list.add(new Reconciler(parts.store(), collector::offerNow, r.getReconcileAfter(), r.getReconcileInterval(), r.getBatchLimit()));
        list.add(new Rescuer(parts.store(), (jobs, stamped) -> applier.recordSent(null, sender.send(jobs, stamped, () -> { })), collector::offerNow, r.getRescueProcessingAfter(), r.getRebroadcastAfter(),
                r.getRescueInterval(), r.getBatchLimit(), parts.payer().key().p2pkhLockingScript()));
        list.add(new ReservationExpiry(parts.payer().pool(), r.getReservationExpiryInterval(), Clock.systemUTC()));
        list.add(new ConfirmationTracker(parts.store(), net.broadcaster(), applier, r.confirmationMinAge(net.callbacksRequested()),
                r.getConfirmationInterval(), r.getBatchLimit()));
        if (parts.payer().fees() instanceof ArcFeePolicy arc) {
            list.add(new FeeRefresh(arc, feeRefreshInterval));
        }
        if (reorgWatch != null) {
            list.add(reorgWatch);
        }
        if (anchorRescue != null) {
            list.add(anchorRescue);
        }
        return list;
    }

    /**
     * Checks merkle paths against {@code source} before marking jobs mined and, when the source can answer
     * by height, watches recent blocks for reorgs ({@code raregen.headers.*}). Call before {@link #start()}.
     */
    public void checkInclusion(BlockHeaderSource source, HeaderStore headers, HeaderSettings settings, MeterRegistry registry) {
        InclusionCheck check = new InclusionCheck(source, headers, registry);
        applier.checkInclusionWith(check);
        if (settings.getHeightUrl() != null && !settings.getHeightUrl().isBlank()) {
            reorgWatch = new ReorgWatch(headers, source, check, parts.broadcasting().broadcaster(), applier::recordMined, settings, registry);
        }
    }

    /**
     * Publishes anchor-mode jobs through the anchoring window ({@code raregen.anchor.*}), with this pipeline's pool,
     * fees, broadcaster, rate limiter, inclusion check and hooks; its rescue runs with the recovery loops. Call
     * before {@link #start()}; without it, or with {@code raregen.anchor.enabled} false, anchor-mode jobs stay queued
     * (anchor transactions already stored are still resent and confirmed when it is disabled).
     */
    public void anchorWith(AnchorSettings settings, AnchorStore store) {
        Payer payer = parts.payer();
        Broadcasting net = parts.broadcasting();
        AnchorResults results = new AnchorResults(store, payer.pool(), net.broadcaster(), payer.key().p2pkhLockingScript(),
                applier::inclusion);
        this.anchorResults = results;
        // with the window off, anchor transactions already stored are still resent and followed to their block
        this.anchorRescue = new AnchorRescue(store, net.broadcaster(), net.limiter(), results, settings,
                payer.key().p2pkhLockingScript());
        if (settings.isEnabled()) {
            this.anchorWindow = new AnchorWindow(new AnchorWindow.Parts(parts.instanceId(), settings, store, payer, net,
                    results, parts.hooks(), parts.pipeline().getReservationLease()));
        }
    }

    /** How often the fee policy loop re-reads ARC's policy ({@code raregen.fees.refresh-interval}). */
    public void setFeeRefreshInterval(Duration d) {
        this.feeRefreshInterval = d;
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        PipelineSettings pp = parts.pipeline();
        if (parts.payer().fees() instanceof ArcFeePolicy arc) {
            arc.refresh();
        }
        if (parts.queue() != null) {
            for (int i = 0; i < pp.getReceivers(); i++) {
                SqsReceiver r = new SqsReceiver("receiver-" + i, parts.queue().sqs(), parts.queue().url(), pp.getReceiveWaitSeconds(),
                        pp.getReceiveMaxMessages(), collector::offer, acker, parts.metrics(), parts.heartbeats(), collector::claimingBacklog);
                receivers.add(r);
                threads.add(start("sqs-receiver-" + i, r));
            }
        }
        threads.add(start("collector", collector));
        if (anchorWindow != null) {
            anchorLoops = new LoopScheduler(parts.heartbeats(), 1);
            anchorLoops.start(List.of(anchorWindow));
        }
        if (parts.recovery().isEnabled()) {
            loops.start(recoveryLoops());
        }
        LOG.info("broadcaster pipeline {} started: {} receivers, batches of {} (window {}, linger {}), backlog claim {}",
                parts.instanceId(), receivers.size(), pp.getMaxBatchSize(), pp.getWindow(), pp.getLinger(), pp.isBacklogClaim());
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Graceful: stop receiving, finish the batches in hand, stop the loops. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        receivers.forEach(SqsReceiver::stop);
        collector.stop();
        // one grace period for the whole stop: receivers, then the batches in hand
        long deadline = System.nanoTime() + parts.pipeline().getShutdownGrace().toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        batches.close(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (anchorLoops != null) {
            anchorLoops.close();
        }
        loops.close();
        if (acker != null) {
            acker.close();
        }
        signer.close();
        applier.close();
        LOG.info("broadcaster pipeline {} stopped", parts.instanceId());
    }

    /** Abrupt stop for crash tests: nothing in hand is finished or handed back. */
    public synchronized void kill() throws InterruptedException {
        closed = true;
        receivers.forEach(SqsReceiver::stop);
        collector.stop();
        batches.kill();
        if (anchorLoops != null) {
            anchorLoops.close();
        }
        loops.close();
        for (Thread t : threads) {
            t.interrupt();
        }
        signer.close();
        applier.close();
    }
}
