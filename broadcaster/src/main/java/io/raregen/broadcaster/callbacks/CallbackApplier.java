package io.raregen.broadcaster.callbacks;

import io.raregen.broadcaster.anchor.AnchorResults;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.callbacks.CallbackInbox.AnchorRef;
import io.raregen.broadcaster.callbacks.CallbackInbox.JobRef;
import io.raregen.broadcaster.callbacks.CallbackInbox.Lookups;
import io.raregen.broadcaster.callbacks.CallbackInbox.Pending;
import io.raregen.broadcaster.headers.InclusionCheck;
import io.raregen.broadcaster.loops.Loop;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.proof.MerklePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the ARC status callbacks the functions app stored in {@code arc_callbacks}: MINED moves a
 * sent job to mined (block hash, height, merkle path; pool chain depth reset) or confirms one of
 * the pool's own transactions, but only with a BRC-74 merkle path that holds the txid, computes a root and is for
 * the callback's block height (else {@code unproven}, nothing changes: the poller still finds it mined); REJECTED and DOUBLE_SPEND_ATTEMPTED are logged for an operator and
 * change nothing; every other status is ignored. Polling ({@code ConfirmationTracker}) stays the
 * fallback for callbacks that never arrive. Counts {@code raregen_arc_callbacks_total{outcome}}.
 */
public final class CallbackApplier implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackApplier.class);

    /** Outcomes written to {@code arc_callbacks.outcome}. */
    public static final String MINED = "mined";
    public static final String POOL_MINED = "pool_mined";
    public static final String NO_JOB = "no_job";
    public static final String IGNORED = "ignored";
    public static final String OPERATOR = "operator";
    /** A MINED callback without a merkle path that proves its txid at its height: nothing changes. */
    public static final String UNPROVEN = "unproven";
    /** The merkle path did not check against the independent header: the job stays sent. */
    public static final String PROOF_MISMATCH = "proof_mismatch";

    private final CallbackInbox inbox;
    private final ResultApplier applier;
    private final UtxoPool pool;
    private final MeterRegistry registry;
    private final Duration interval;
    private final int batchSize;
    private final Duration retention;
    private final int maxAttempts;
    private final Duration pruneEvery;
    private final Clock clock;
    private volatile Instant nextPrune;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile AnchorResults anchors;

    public CallbackApplier(CallbackInbox inbox, ResultApplier applier, UtxoPool pool, MeterRegistry registry,
                           Duration interval, int batchSize) {
        this(inbox, applier, pool, registry, interval, batchSize, Duration.ofDays(7), Duration.ofMinutes(10), 20,
                Clock.systemUTC());
    }

    /**
     * @param retention  how long applied callbacks are kept (what each one did stays visible to operators)
     * @param pruneEvery how often a round also deletes the applied callbacks older than {@code retention}
     * @param maxAttempts failed applications after which a callback is closed as {@code failed}
     */
    public CallbackApplier(CallbackInbox inbox, ResultApplier applier, UtxoPool pool, MeterRegistry registry,
                           Duration interval, int batchSize, Duration retention, Duration pruneEvery, int maxAttempts,
                           Clock clock) {
        this.inbox = inbox;
        this.applier = applier;
        this.pool = pool;
        this.registry = registry;
        this.interval = interval;
        this.batchSize = batchSize;
        this.retention = retention;
        this.pruneEvery = pruneEvery;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
        this.nextPrune = clock.instant();
    }

    /** MINED callbacks for anchor transactions are recorded through {@code results} (the anchoring window's). */
    public void applyAnchorsWith(AnchorResults results) {
        this.anchors = results;
    }

    @Override
    public String name() {
        return "arc-callbacks";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** One transaction over up to a batch of pending callbacks; returns how many were stamped. */
    @Override
    public int runOnce() {
        if (!clock.instant().isBefore(nextPrune)) {
            nextPrune = clock.instant().plus(pruneEvery);
            int pruned = inbox.pruneApplied(retention);
            if (pruned > 0) {
                LOG.info("pruned {} ARC callbacks applied more than {} ago", pruned, retention);
            }
        }
        Map<Long, String> done = inbox.applyPending(batchSize, maxAttempts, this::handle);
        done.forEach((id, outcome) -> {
            if (CallbackInbox.FAILED.equals(outcome)) {
                LOG.error("ARC callback {} could not be applied in {} attempts; closed as failed (the confirmation poller "
                        + "still finds its transaction mined)", id, maxAttempts);
            }
        });
        // counted after the commit: a rolled-back round is taken again and counted then
        done.values().forEach(outcome -> counters.computeIfAbsent(outcome, o -> Counter.builder("raregen.arc.callbacks")
                .description("ARC status callbacks applied, by what the broadcaster did").tag("outcome", o)
                .register(registry)).increment());
        return done.size();
    }

    private Optional<String> handle(Pending p, Lookups lookups) throws SQLException {
        return switch (p.txStatus()) {
            case "MINED" -> mined(p, lookups);
            case "REJECTED", "DOUBLE_SPEND_ATTEMPTED" -> Optional.of(displaced(p, lookups));
            default -> Optional.of(IGNORED);
        };
    }

    private Optional<String> mined(Pending p, Lookups lookups) throws SQLException {
        if (p.blockHeight() == null) {
            return Optional.of(IGNORED);
        }
        if (!proves(p)) {
            // the functions app rejects such callbacks; a row stored before it did, or written by hand, lands here
            LOG.warn("MINED callback {} for {} at height {} has no merkle path proving the transaction; ignored",
                    p.callbackId(), p.txid().hex(), p.blockHeight());
            return Optional.of(UNPROVEN);
        }
        Optional<JobRef> job = lookups.jobByTxid(p.txid());
        AnchorResults anchorResults = anchors;
        // an anchor transaction: its batch moves to mined and its jobs with it
        Optional<AnchorRef> anchor = job.isPresent() || anchorResults == null ? Optional.empty() : lookups.anchorByTxid(p.txid());
        try {
            if (job.isPresent() || anchor.isPresent()) {
                String status = job.isPresent() ? job.get().status() : anchor.get().status();
                // the job's id, or the anchor batch's
                String target = job.isPresent() ? job.get().jobId().value() : anchor.get().batchId().value();
                if (status.equals("signed")) {
                    // the pool update (inputs spent, change added) comes with sent; mined straight from signed would
                    // leave the inputs reserved for ever (I4). The rescuer re-sends the same bytes, ARC answers MINED
                    // with the block data and the result applier records sent, then mined.
                    LOG.info("MINED callback for {} of job {} while the job is still signed; the rescuer's re-send records it",
                            p.txid().hex(), target);
                    return Optional.of(IGNORED);
                }
                if (!status.equals("sent")) {
                    return Optional.of(IGNORED);
                }
                InclusionCheck.Verdict v = job.isPresent() ? applier.recordMined(job.get().jobId(), p.txid(), asResult(p))
                        : anchorResults.recordMined(anchor.get().batchId(), p.txid(), asResult(p));
                return switch (v.outcome()) {
                    case VERIFIED -> Optional.of(MINED);
                    case MISMATCH -> Optional.of(PROOF_MISMATCH);
                    // the header source did not answer: taken again next round
                    case UNAVAILABLE -> Optional.empty();
                };
            }
            if (lookups.isPoolTransaction(p.txid())) {
                pool.markMined(p.txid(), p.blockHeight());
                return Optional.of(POOL_MINED);
            }
            return Optional.of(NO_JOB);
        } catch (RuntimeException e) {
            // left pending: the next round tries again (marking mined is idempotent)
            LOG.warn("could not apply MINED callback {} for {}: {}", p.callbackId(), p.txid().hex(), e.toString());
            return Optional.empty();
        }
    }

    /** A sent transaction displaced later needs a human: re-signing could double-publish (docs/ARCHITECTURE.md#invariants, I2). */
    private String displaced(Pending p, Lookups lookups) throws SQLException {
        Optional<JobRef> job = lookups.jobByTxid(p.txid());
        if (job.isEmpty() && !lookups.isPoolTransaction(p.txid())
                && (anchors == null || lookups.anchorByTxid(p.txid()).isEmpty())) {
            return NO_JOB;
        }
        String jobId = job.map(j -> j.jobId().value()).orElse("pool");
        try (MDC.MDCCloseable a = MDC.putCloseable("jobId", jobId);
             MDC.MDCCloseable b = MDC.putCloseable("txid", p.txid().hex())) {
            LOG.error("ARC callback: transaction {} of job {} is {} (extraInfo: {}, competingTxs: {}); needs an operator",
                    p.txid().hex(), jobId, p.txStatus(), p.extraInfo(), p.competingTxs());
        }
        return OPERATOR;
    }

    private static boolean proves(Pending p) {
        if (p.merklePath() == null) {
            return false;
        }
        try {
            return MerklePath.parse(p.merklePath()).proves(p.txid(), p.blockHeight());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static BroadcastResult asResult(Pending p) {
        String path = p.merklePath() == null ? null : HexFormat.of().formatHex(p.merklePath());
        return new BroadcastResult(p.txid(), BroadcastResult.Outcome.MINED, p.txStatus(), null, p.extraInfo(), null,
                p.blockHash(), p.blockHeight(), path);
    }
}
