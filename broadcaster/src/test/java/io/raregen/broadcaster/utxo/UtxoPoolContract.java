package io.raregen.broadcaster.utxo;

import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.broadcaster.utxo.UtxoPool.Reservation;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.raregen.broadcaster.utxo.PoolTestData.fundingUtxo;
import static io.raregen.broadcaster.utxo.PoolTestData.randomTxid;
import static io.raregen.broadcaster.utxo.PoolTestData.utxo;
import static io.raregen.broadcaster.utxo.PoolTestData.utxos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one contract every {@link UtxoPool} keeps, run against every implementation (in memory and
 * Postgres), the way River runs one driver suite against every driver. Each test starts with an
 * empty pool whose max chain depth is {@link #MAX_DEPTH}.
 */
public abstract class UtxoPoolContract {

    static final int MAX_DEPTH = 5;
    static final Duration LEASE = Duration.ofMinutes(5);

    /** A fresh, empty pool with {@code maxChainDepth = MAX_DEPTH}. */
    protected abstract UtxoPool pool();

    /** Stores "a signed transaction spends this outpoint" (the spends table in Postgres). */
    protected abstract void recordSpend(Outpoint outpoint, Txid spendingTxid);

    /** Records that a pool transaction of ours paid {@code fee} and was accepted. */
    protected abstract void recordAcceptedPoolTxFee(Txid txid, long fee);

    protected abstract Instant reservedUntil(Outpoint outpoint);

    protected abstract String status(Outpoint outpoint);

    /** True when the output was spent by an accepted transaction (in Postgres since V51: its row gone, its spends row kept). */
    protected abstract boolean spent(Outpoint outpoint);

    /** A 100-sat publish output added to the pool and reserved. */
    private Utxo reservedOne(UtxoPool pool) {
        Utxo a = utxo(100);
        pool.add(List.of(a), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        return a;
    }

    /**
     * A transaction the network accepted: it spends {@code in} (reserved), pays 1 sat of fee and its change back to
     * the pool, stored first as the store does. Returns the change.
     */
    private Utxo acceptedWithChange(UtxoPool pool, Utxo in) {
        Txid spender = randomTxid();
        Utxo change = new Utxo(new Outpoint(spender, 1), Satoshis.of(in.satoshis().value() - 1), in.lockingScript());
        recordAcceptedPoolTxFee(spender, 1);
        stored(spender, List.of(in.outpoint()));
        pool.confirmSpent(spender, List.of(in.outpoint()), List.of(change), Purpose.PUBLISH);
        return change;
    }

    /** What the store does before a transaction is ever sent: a spends row per input. */
    private void stored(Txid spender, List<Outpoint> inputs) {
        for (Outpoint o : inputs) {
            recordSpend(o, spender);
        }
    }

    protected abstract int chainDepth(Outpoint outpoint);

    /** The tests name their requests ("big", "tiny"): a job id per name, and the name of each id. */
    private static final Map<String, JobId> IDS = new ConcurrentHashMap<>();
    private static final Map<JobId, String> NAMES = new ConcurrentHashMap<>();

    static JobId job(String name) {
        return IDS.computeIfAbsent(name, n -> {
            JobId id = JobId.generate();
            NAMES.put(id, n);
            return id;
        });
    }

    static ReservationRequest req(String job, long sats) {
        return new ReservationRequest(job(job), Satoshis.of(sats));
    }

    /** The reservations by the name of their request. */
    static Map<String, Reservation> byJob(List<Reservation> rs) {
        return rs.stream().collect(Collectors.toMap(r -> NAMES.get(r.jobId()), r -> r));
    }

    static long value(Reservation r) {
        return r.total().value();
    }

    @Test
    void reserve_givesEachRequestTheSmallestSufficientUtxo() {
        UtxoPool pool = pool();
        pool.add(List.of(utxo(100), utxo(10), utxo(50), utxo(1000)), Purpose.PUBLISH, 0);

        Map<String, Reservation> got = byJob(pool.reserve(List.of(req("big", 60), req("tiny", 5), req("mid", 40)),
                "w1", LEASE));

        assertEquals(10, value(got.get("tiny")));
        assertEquals(50, value(got.get("mid")));
        assertEquals(100, value(got.get("big")));
    }

    @Test
    void reserve_whenSmallestSufficientIsTakenBySmallerRequest_takesNextSufficient() {
        UtxoPool pool = pool();
        pool.add(List.of(utxo(5), utxo(20), utxo(30), utxo(40)), Purpose.PUBLISH, 0);

        Map<String, Reservation> got = byJob(pool.reserve(
                List.of(req("a", 10), req("b", 10), req("c", 25), req("d", 1)), "w1", LEASE));

        assertEquals(5, value(got.get("d")));
        assertEquals(20, value(got.get("a")));
        assertEquals(30, value(got.get("b")));
        assertEquals(40, value(got.get("c")));
    }

    @Test
    void reserve_atEqualValue_prefersTheShallowerChain() {
        UtxoPool pool = pool();
        Utxo deep = utxo(100);
        Utxo shallow = utxo(100);
        pool.add(List.of(deep), Purpose.PUBLISH, 3);
        pool.add(List.of(shallow), Purpose.PUBLISH, 1);

        List<Reservation> got = pool.reserve(List.of(req("j", 10)), "w1", LEASE);

        assertEquals(List.of(shallow), got.get(0).inputs());
        assertEquals(1, got.get(0).maxChainDepth());
    }

    @Test
    void reserve_neverHandsOutDirtyUtxos() {
        UtxoPool pool = pool();
        Utxo dirty = utxo(10);
        Utxo clean = utxo(100);
        pool.add(List.of(dirty, clean), Purpose.PUBLISH, 0);
        pool.markDirty(dirty.outpoint(), "DOUBLE_SPEND_ATTEMPTED");

        List<Reservation> got = pool.reserve(List.of(req("a", 1), req("b", 1)), "w1", LEASE);

        assertEquals(1, got.size());
        assertEquals(List.of(clean), got.get(0).inputs());
    }

    @Test
    void reserve_neverHandsOutUtxosAtOrBeyondMaxChainDepth() {
        UtxoPool pool = pool();
        Utxo tooDeep = utxo(10);
        Utxo lastAllowed = utxo(100);
        pool.add(List.of(tooDeep), Purpose.PUBLISH, MAX_DEPTH);
        pool.add(List.of(lastAllowed), Purpose.PUBLISH, MAX_DEPTH - 1);

        List<Reservation> got = pool.reserve(List.of(req("a", 1), req("b", 1)), "w1", LEASE);

        assertEquals(1, got.size());
        assertEquals(List.of(lastAllowed), got.get(0).inputs());
    }

    @Test
    void reserve_whenUtxoAlreadyReserved_skipsIt() {
        UtxoPool pool = pool();
        pool.add(List.of(utxo(10), utxo(20)), Purpose.PUBLISH, 0);

        Reservation first = pool.reserve(List.of(req("a", 1)), "w1", LEASE).get(0);
        Reservation second = pool.reserve(List.of(req("b", 1)), "w2", LEASE).get(0);
        List<Reservation> third = pool.reserve(List.of(req("c", 1)), "w3", LEASE);

        assertEquals(10, value(first));
        assertEquals(20, value(second));
        assertTrue(third.isEmpty());
        assertEquals("reserved", status(first.inputs().get(0).outpoint()));
    }

    @Test
    void reserve_smallRequests_neverTakeFundingUtxos() {
        UtxoPool pool = pool();
        pool.add(List.of(fundingUtxo(1_000_000)), Purpose.FUNDING, 0);

        assertTrue(pool.reserve(List.of(req("a", 1)), "w1", LEASE).isEmpty());
    }

    @Test
    void reserve_requestLargerThanAnyUtxo_getsSeveralInputsCoveringTheExtraInputFees() {
        UtxoPool pool = pool();
        pool.add(utxos(50, 100), Purpose.PUBLISH, 0);

        ReservationRequest big = new ReservationRequest(job("big"), Satoshis.of(1_000), Satoshis.of(15));
        List<Reservation> got = pool.reserve(List.of(big, req("small", 1)), "w1", LEASE);

        Reservation r = byJob(got).get("big");
        assertTrue(r.inputs().size() > 1);
        assertTrue(value(r) >= 1_000 + 15L * (r.inputs().size() - 1), "covers the fee of every extra input");
        assertEquals(12, r.inputs().size(), "no more inputs than needed: 12 x 100 >= 1000 + 11 x 15");
        assertTrue(byJob(got).containsKey("small"), "the small request of the same batch is served too");
        Set<Outpoint> all = new HashSet<>();
        got.forEach(x -> x.inputs().forEach(u -> assertTrue(all.add(u.outpoint()), "an input given twice")));
    }

    @Test
    void reserve_requestLargerThanAllPublishSats_fallsBackToOneFundingUtxo() {
        UtxoPool pool = pool();
        pool.add(utxos(3, 100), Purpose.PUBLISH, 0);
        Utxo funding = fundingUtxo(1_000_000);
        pool.add(List.of(funding), Purpose.FUNDING, 0);

        List<Reservation> got = pool.reserve(List.of(req("huge", 50_000)), "w1", LEASE);

        assertEquals(List.of(funding), got.get(0).inputs());
    }

    @Test
    void reserve_whenPoolIsShort_servesWhatItCanAndLeavesTheRestOut() {
        UtxoPool pool = pool();
        pool.add(utxos(3, 100), Purpose.PUBLISH, 0);

        List<Reservation> got = pool.reserve(
                IntStream.range(0, 5).mapToObj(i -> req("j" + i, 10)).toList(), "w1", LEASE);

        assertEquals(3, got.size());
        assertEquals(3, got.stream().flatMap(r -> r.inputs().stream()).map(Utxo::outpoint).distinct().count());
    }

    @Test
    void release_returnsReservedUtxosToAvailable() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);

        pool.release(List.of(u.outpoint()));

        assertEquals("available", status(u.outpoint()));
        assertEquals(1, pool.reserve(List.of(req("b", 1)), "w2", LEASE).size());
    }

    @Test
    void release_whenAStoredTransactionSpendsTheUtxo_keepsItReserved() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        recordSpend(u.outpoint(), randomTxid());

        pool.release(List.of(u.outpoint()));

        assertEquals("reserved", status(u.outpoint()));
    }

    @Test
    void releaseExpired_justBeforeTheLeaseEnds_keepsTheReservation() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        Instant until = reservedUntil(u.outpoint());

        assertEquals(0, pool.releaseExpired(until.minusMillis(1)));
        assertEquals(0, pool.releaseExpired(until), "the lease runs until reserved_until inclusive");
        assertEquals("reserved", status(u.outpoint()));
    }

    @Test
    void releaseExpired_justAfterTheLeaseEnds_withoutSignedTransaction_releases() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        Instant until = reservedUntil(u.outpoint());

        assertEquals(1, pool.releaseExpired(until.plusMillis(1)));
        assertEquals("available", status(u.outpoint()));
    }

    @Test
    void releaseExpired_justAfterTheLeaseEnds_withSignedTransaction_keepsTheReservation() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        recordSpend(u.outpoint(), randomTxid());
        Instant until = reservedUntil(u.outpoint());

        assertEquals(0, pool.releaseExpired(until.plusSeconds(3600)));
        assertEquals("reserved", status(u.outpoint()));
    }

    @Test
    void confirmSpent_marksInputsSpentAndAddsChangeOneLevelDeeper() {
        UtxoPool pool = pool();
        Utxo a = utxo(100);
        pool.add(List.of(a), Purpose.PUBLISH, 2);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        Txid spender = randomTxid();
        Utxo change = new Utxo(new Outpoint(spender, 1), Satoshis.of(99), a.lockingScript());
        stored(spender, List.of(a.outpoint()));

        pool.confirmSpent(spender, List.of(a.outpoint()), List.of(change), Purpose.PUBLISH);

        assertTrue(spent(a.outpoint()));
        assertEquals("available", status(change.outpoint()));
        assertEquals(3, chainDepth(change.outpoint()));
        assertEquals(List.of(change), pool.reserve(List.of(req("b", 1)), "w1", LEASE).get(0).inputs());
    }

    @Test
    void confirmSpent_appliedTwice_changesNothingMore() {
        UtxoPool pool = pool();
        Utxo a = reservedOne(pool);
        Utxo change = acceptedWithChange(pool, a);
        pool.reserve(List.of(req("b", 1)), "w1", LEASE); // the change is now held

        pool.confirmSpent(change.outpoint().txid(), List.of(a.outpoint()), List.of(change), Purpose.PUBLISH);

        assertEquals("reserved", status(change.outpoint()), "a re-applied result must not free a held change");
        PoolSnapshot s = pool.snapshot();
        assertEquals(1, s.feesPaidSats());
        assertEquals(0, s.conservationGapSats());
    }

    @Test
    void anOutputSpent_isNeverAddedBack_byAResultAppliedAgainOrARescan() {
        // GIVEN a's spender P returned change x to the pool, and x's own spender Q was accepted too
        UtxoPool pool = pool();
        Utxo a = reservedOne(pool);
        Utxo x = acceptedWithChange(pool, a);
        Txid p = x.outpoint().txid();
        assertEquals(List.of(x), pool.reserve(List.of(req("b", 1)), "w1", LEASE).get(0).inputs());
        Utxo y = acceptedWithChange(pool, x);
        assertTrue(spent(x.outpoint()));

        // WHEN P's result is applied again (a rescued re-send answered "already known"), and x is found again by a
        // scan of the chain that lags behind it
        pool.confirmSpent(p, List.of(a.outpoint()), List.of(x), Purpose.PUBLISH);
        pool.confirmSpentAll(List.of(new UtxoPool.Spend(p, List.of(a.outpoint()), List.of(x), Purpose.PUBLISH)));
        pool.add(List.of(x), Purpose.PUBLISH, 0);

        // THEN x stays spent: only y is handed out, and every satoshi is accounted for
        assertTrue(spent(x.outpoint()));
        assertEquals(List.of(y), pool.reserve(List.of(req("c", 1), req("d", 1)), "w1", LEASE).get(0).inputs());
        PoolSnapshot s = pool.snapshot();
        assertEquals(2L, s.countByStatus().get("spent"));
        assertEquals(98, s.totalUnspentSats());
        assertEquals(2, s.feesPaidSats());
        assertEquals(0, s.conservationGapSats());
    }

    @Test
    void confirmSpentAll_appliesEveryTransactionOfABatch() {
        UtxoPool pool = pool();
        pool.add(utxos(3, 100), Purpose.PUBLISH, 1);
        List<UtxoPool.Spend> spends = new ArrayList<>();
        List<Utxo> changes = new ArrayList<>();
        for (Reservation r : pool.reserve(List.of(req("a", 1), req("b", 1), req("c", 1)), "w", LEASE)) {
            Txid t = randomTxid();
            recordAcceptedPoolTxFee(t, 1);
            Utxo change = new Utxo(new Outpoint(t, 1), Satoshis.of(99), PoolTestData.POOL_KEY.p2pkhLockingScript());
            changes.add(change);
            stored(t, r.inputs().stream().map(Utxo::outpoint).toList());
            spends.add(new UtxoPool.Spend(t, r.inputs().stream().map(Utxo::outpoint).toList(), List.of(change),
                    Purpose.PUBLISH));
        }

        pool.confirmSpentAll(spends);
        pool.confirmSpentAll(spends); // re-applied: no effect

        for (Utxo c : changes) {
            assertEquals("available", status(c.outpoint()));
            assertEquals(2, chainDepth(c.outpoint()));
        }
        PoolSnapshot s = pool.snapshot();
        assertEquals(3L, s.countByStatus().get("spent"));
        assertEquals(297, s.totalUnspentSats());
        assertEquals(0, s.conservationGapSats());
    }

    @Test
    void depth_agreesWithTheSnapshotOnEveryLiveFigure_andLeavesHistoryOut() {
        UtxoPool pool = pool();
        pool.add(utxos(4, 100), Purpose.PUBLISH, 0);
        pool.add(utxos(1, MAX_DEPTH * 1000L), Purpose.FUNDING, 0);
        pool.add(utxos(1, 50), Purpose.PUBLISH, MAX_DEPTH); // too deep to hand out
        List<Reservation> held = pool.reserve(List.of(req("a", 1), req("b", 1)), "w", LEASE);
        Txid t = randomTxid();
        recordAcceptedPoolTxFee(t, 1);
        Utxo change = new Utxo(new Outpoint(t, 1), Satoshis.of(99), PoolTestData.POOL_KEY.p2pkhLockingScript());
        stored(t, held.get(0).inputs().stream().map(Utxo::outpoint).toList());
        pool.confirmSpent(t, held.get(0).inputs().stream().map(Utxo::outpoint).toList(), List.of(change), Purpose.PUBLISH);

        PoolDepth d = pool.depth();
        PoolSnapshot s = pool.snapshot();

        for (String status : List.of("pending", "available", "reserved")) {
            assertEquals(s.countByStatus().get(status), d.countByStatus().get(status), status);
            assertEquals(s.satsByStatus().get(status), d.satsByStatus().get(status), status);
        }
        assertEquals(s.publishAvailable(), d.publishAvailable());
        assertEquals(s.fundingAvailableSats(), d.fundingAvailableSats());
        assertEquals(1L, s.countByStatus().get("spent"));
        assertFalse(d.countByStatus().containsKey("spent"), "history is the snapshot's business");
        assertEquals(1L, d.countByStatus().get("reserved"));
        assertEquals(3, d.publishAvailable(), "2 untouched + the change; the deep one is not usable");
    }

    @Test
    void markMined_resetsTheDepthSoDeepChangeBecomesUsable() {
        UtxoPool pool = pool();
        Utxo a = utxo(100);
        pool.add(List.of(a), Purpose.PUBLISH, MAX_DEPTH - 1);
        pool.reserve(List.of(req("a", 1)), "w1", LEASE);
        Txid spender = randomTxid();
        Utxo change = new Utxo(new Outpoint(spender, 1), Satoshis.of(99), a.lockingScript());
        stored(spender, List.of(a.outpoint()));
        pool.confirmSpent(spender, List.of(a.outpoint()), List.of(change), Purpose.PUBLISH);
        assertTrue(pool.reserve(List.of(req("b", 1)), "w1", LEASE).isEmpty(), "at max depth: not handed out");

        pool.markMined(spender, 100);

        assertEquals(0, chainDepth(change.outpoint()));
        assertEquals(List.of(change), pool.reserve(List.of(req("c", 1)), "w1", LEASE).get(0).inputs());
    }

    @Test
    void dirty_thenRestore_makesTheUtxoUsableAgain() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        Txid ours = randomTxid();
        recordSpend(u.outpoint(), ours);
        pool.markDirty(u.outpoint(), "DOUBLE_SPEND_ATTEMPTED");

        List<UtxoPool.DirtyUtxo> dirty = pool.dirty(Instant.now().plusSeconds(60), 10);
        assertEquals(1, dirty.size());
        assertEquals("DOUBLE_SPEND_ATTEMPTED", dirty.get(0).reason());
        assertEquals(ours, dirty.get(0).ourSpendingTxid().orElseThrow());
        assertTrue(pool.dirty(Instant.now().minusSeconds(60), 10).isEmpty(), "too recent to re-check");

        pool.restore(u.outpoint());

        assertTrue(pool.dirty(Instant.now().plusSeconds(60), 10).isEmpty());
    }

    @Test
    void retire_aUtxoProvenSpentElsewhere_neverComesBack() {
        UtxoPool pool = pool();
        Utxo u = utxo(100);
        pool.add(List.of(u), Purpose.PUBLISH, 0);
        pool.markDirty(u.outpoint(), "conflict");

        pool.retire(u.outpoint(), randomTxid(), "spent elsewhere");
        pool.restore(u.outpoint());
        pool.release(List.of(u.outpoint()));
        pool.releaseExpired(Instant.now().plusSeconds(86_400));

        assertEquals("retired", status(u.outpoint()));
        assertTrue(pool.reserve(List.of(req("a", 1)), "w1", LEASE).isEmpty());
        PoolSnapshot s = pool.snapshot();
        assertEquals(100, s.retiredSats());
        assertEquals(0, s.totalUnspentSats());
        assertEquals(0, s.conservationGapSats());
    }

    @Test
    void snapshot_afterSpendsWithChange_conservesEverySatoshi() {
        UtxoPool pool = pool();
        pool.add(utxos(10, 100), Purpose.PUBLISH, 0);
        pool.add(List.of(fundingUtxo(5_000)), Purpose.FUNDING, 0);
        long fees = 0;
        for (Reservation r : pool.reserve(IntStream.range(0, 4).mapToObj(i -> req("j" + i, 1)).toList(), "w", LEASE)) {
            Txid t = randomTxid();
            long fee = 1;
            recordAcceptedPoolTxFee(t, fee);
            fees += fee;
            Utxo change = new Utxo(new Outpoint(t, 1), Satoshis.of(value(r) - fee), PoolTestData.POOL_KEY.p2pkhLockingScript());
            stored(t, r.inputs().stream().map(Utxo::outpoint).toList());
            pool.confirmSpent(t, r.inputs().stream().map(Utxo::outpoint).toList(), List.of(change), Purpose.PUBLISH);
        }

        PoolSnapshot s = pool.snapshot();

        assertEquals(6_000, s.fundedSats());
        assertEquals(fees, s.feesPaidSats());
        assertEquals(6_000 - fees, s.totalUnspentSats());
        assertEquals(0, s.conservationGapSats());
        assertEquals(10, s.publishAvailable());
        assertEquals(5_000, s.fundingAvailableSats());
        assertEquals(4L, s.countByStatus().get("spent"));
    }

    @Test
    void find_returnsTheStoredUtxo() {
        UtxoPool pool = pool();
        Utxo u = utxo(123);
        pool.add(List.of(u), Purpose.PUBLISH, 0);

        assertEquals(u, pool.find(u.outpoint()).orElseThrow());
        assertFalse(pool.find(new Outpoint(randomTxid(), 0)).isPresent());
    }

    /**
     * que's "never the same job twice", for UTXOs: 16 threads x 1,000 reservations (batches of 10) on a
     * pool of 2,000. At most 160 are held at once, so every request must be served, no UTXO may be
     * handed to two holders at the same time, nothing may deadlock, and nothing stays reserved.
     */
    @Test
    void reserve_16ThreadsX1000_neverHandsAUtxoToTwoHoldersAtOnce() throws Exception {
        UtxoPool pool = pool();
        pool.add(utxos(2_000, 100), Purpose.PUBLISH, 0);
        Map<Outpoint, String> held = new ConcurrentHashMap<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger served = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            String holder = "t" + t;
            futures.add(ex.submit(() -> {
                for (int b = 0; b < 100; b++) {
                    List<ReservationRequest> reqs = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        reqs.add(req(holder + "-" + b + "-" + k, 1 + k));
                    }
                    List<Reservation> got = pool.reserve(reqs, holder, LEASE);
                    served.addAndGet(got.size());
                    List<Outpoint> mine = new ArrayList<>();
                    for (Reservation r : got) {
                        for (Utxo u : r.inputs()) {
                            String prior = held.putIfAbsent(u.outpoint(), holder);
                            if (prior != null) {
                                violations.add(u.outpoint() + " held by " + prior + " and " + holder);
                            }
                            mine.add(u.outpoint());
                        }
                    }
                    mine.forEach(held::remove); // before release: afterwards another thread may take it
                    pool.release(mine);
                }
                return null;
            }));
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(90, TimeUnit.SECONDS), "deadlock or livelock: threads did not finish");
        for (Future<?> f : futures) {
            f.get();
        }

        assertEquals(List.of(), violations);
        assertEquals(16_000, served.get(), "every request served: the pool was never short");
        assertEquals(0L, pool.snapshot().countByStatus().get("reserved"));
        assertEquals(2_000, pool.snapshot().publishAvailable());
    }
}
