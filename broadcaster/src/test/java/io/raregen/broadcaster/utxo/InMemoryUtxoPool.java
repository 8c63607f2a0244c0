package io.raregen.broadcaster.utxo;

import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pool in memory, with the same semantics as {@link PostgresUtxoPool} (one contract suite runs
 * against both). For tests, tools and the benchmark's reference; one lock guards everything.
 * Fees paid are counted as inputs minus returned outputs of each confirmed spend.
 */
public final class InMemoryUtxoPool implements UtxoPool {

    private static final class Entry {
        final long id;
        final Utxo utxo;
        final Purpose purpose;
        String status = "available";
        Instant reservedUntil;
        String holder;
        boolean dirty;
        String dirtyReason;
        Instant dirtyAt;
        Txid spentBy;
        int depth;
        Integer blockHeight;

        Entry(long id, Utxo utxo, Purpose purpose, int depth) {
            this.id = id;
            this.utxo = utxo;
            this.purpose = purpose;
            this.depth = depth;
        }

        long sats() {
            return utxo.satoshis().value();
        }
    }

    private static final Comparator<Entry> SMALLEST_SHALLOWEST = Comparator.comparingLong(Entry::sats)
            .thenComparingInt(e -> e.depth).thenComparingLong(e -> e.id);

    private final PoolSettings settings;
    private final Clock clock;
    private final Map<Outpoint, Entry> entries = new LinkedHashMap<>();
    private final Map<Outpoint, Txid> spends = new HashMap<>();
    private final Set<Txid> confirmed = new HashSet<>();
    private long nextId = 1;
    private long feesPaid;
    private long funded;

    public InMemoryUtxoPool(PoolSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public InMemoryUtxoPool() {
        this(new PoolSettings(), Clock.systemUTC());
    }

    /** What the {@code spends} table records in Postgres: a stored signed transaction spends this outpoint. */
    public synchronized void recordSpend(Outpoint outpoint, Txid spendingTxid) {
        Txid prior = spends.putIfAbsent(outpoint, spendingTxid);
        if (prior != null && !prior.equals(spendingTxid)) {
            throw new IllegalStateException("outpoint " + outpoint + " is already spent by stored tx " + prior);
        }
    }

    public synchronized Optional<Instant> reservedUntil(Outpoint outpoint) {
        Entry e = entries.get(outpoint);
        return e == null ? Optional.empty() : Optional.ofNullable(e.reservedUntil);
    }

    public synchronized Optional<String> status(Outpoint outpoint) {
        Entry e = entries.get(outpoint);
        return e == null ? Optional.empty() : Optional.of(e.status);
    }

    public synchronized Optional<Integer> chainDepth(Outpoint outpoint) {
        Entry e = entries.get(outpoint);
        return e == null ? Optional.empty() : Optional.of(e.depth);
    }

    private boolean usable(Entry e, Purpose purpose) {
        return e.purpose == purpose && e.status.equals("available") && !e.dirty
                && e.depth < settings.getMaxChainDepth();
    }

    @Override
    public synchronized List<Reservation> reserve(List<ReservationRequest> requests, String holder, Duration lease) {
        Instant until = clock.instant().plus(lease);
        List<Entry> cand = entries.values().stream().filter(e -> usable(e, Purpose.PUBLISH))
                .sorted(SMALLEST_SHALLOWEST).toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> requests.get(i).minimumValue().value()).thenComparingInt(i -> i));
        Map<Integer, List<Entry>> chosen = new HashMap<>();
        int j = -1;
        for (int i : order) {
            long need = requests.get(i).minimumValue().value();
            int f = lowerBound(cand, need);
            j = Math.max(j + 1, f);
            if (j < cand.size()) {
                chosen.put(i, List.of(cand.get(j)));
                hold(cand.get(j), holder, until);
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            if (!chosen.containsKey(i)) {
                List<Entry> several = several(requests.get(i));
                if (!several.isEmpty()) {
                    several.forEach(e -> hold(e, holder, until));
                    chosen.put(i, several);
                }
            }
        }
        List<Reservation> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Entry> es = chosen.get(i);
            if (es != null) {
                out.add(new Reservation(requests.get(i).jobId(), es.stream().map(e -> e.utxo).toList(),
                        es.stream().mapToInt(e -> e.depth).max().orElse(0)));
            }
        }
        return out;
    }

    private static int lowerBound(List<Entry> sorted, long need) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).sats() < need) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private List<Entry> several(ReservationRequest r) {
        long perInput = r.extraPerInput().value() > 0 ? r.extraPerInput().value() : settings.getExtraInputAllowanceSats();
        long need = r.minimumValue().value();
        List<Entry> largest = entries.values().stream().filter(e -> usable(e, Purpose.PUBLISH))
                .sorted(Comparator.comparingLong(Entry::sats).reversed().thenComparingInt(e -> e.depth)
                        .thenComparingLong(e -> e.id))
                .limit(settings.getMaxInputsPerReservation()).toList();
        List<Entry> chosen = new ArrayList<>();
        long sum = 0;
        for (Entry e : largest) {
            if (sum >= need + perInput * Math.max(0, chosen.size() - 1)) {
                break;
            }
            chosen.add(e);
            sum += e.sats();
        }
        if (!chosen.isEmpty() && sum >= need + perInput * (chosen.size() - 1)) {
            return chosen;
        }
        if (settings.isFundingFallback() && need >= settings.getFundingFallbackMinSats()) {
            return entries.values().stream().filter(e -> usable(e, Purpose.FUNDING) && e.sats() >= need)
                    .min(SMALLEST_SHALLOWEST).map(List::of).orElse(List.of());
        }
        return List.of();
    }

    private static void hold(Entry e, String holder, Instant until) {
        e.status = "reserved";
        e.holder = holder;
        e.reservedUntil = until;
    }

    @Override
    public synchronized void release(Collection<Outpoint> outpoints) {
        for (Outpoint o : outpoints) {
            Entry e = entries.get(o);
            if (e != null && e.status.equals("reserved") && !spends.containsKey(o)) {
                free(e);
            }
        }
    }

    private static void free(Entry e) {
        e.status = "available";
        e.holder = null;
        e.reservedUntil = null;
    }

    @Override
    public synchronized void confirmSpent(Txid spendingTxid, Collection<Outpoint> inputs, List<Utxo> newOutputs,
                                          Purpose purpose) {
        int depth = inputs.stream().map(entries::get).filter(e -> e != null).mapToInt(e -> e.depth).max().orElse(0) + 1;
        boolean first = confirmed.add(spendingTxid);
        long in = 0;
        for (Outpoint o : inputs) {
            Entry e = entries.get(o);
            if (e == null) {
                continue;
            }
            in += e.sats();
            if (Set.of("available", "reserved", "pending").contains(e.status)) {
                e.status = "spent";
                e.spentBy = spendingTxid;
                e.holder = null;
                e.reservedUntil = null;
                e.dirty = false;
                e.dirtyReason = null;
                e.dirtyAt = null;
            }
        }
        long out = 0;
        for (Utxo u : newOutputs) {
            out += u.satoshis().value();
            Entry existing = entries.get(u.outpoint());
            if (existing == null) {
                entries.put(u.outpoint(), new Entry(nextId++, u, purpose, depth));
            } else if (existing.status.equals("pending")) {
                existing.status = "available";
                existing.depth = existing.blockHeight == null ? depth : 0;
            }
        }
        if (first) {
            feesPaid += Math.max(0, in - out);
        }
    }

    /** Write-ahead outputs of a pool transaction that the network has not accepted yet. */
    public synchronized void addPending(List<Utxo> outputs, Purpose purpose, int depth) {
        for (Utxo u : outputs) {
            Entry e = entries.computeIfAbsent(u.outpoint(), o -> new Entry(nextId++, u, purpose, depth));
            if (e.utxo == u) {
                e.status = "pending";
            }
        }
    }

    @Override
    public synchronized void markDirty(Outpoint outpoint, String reason) {
        Entry e = entries.get(outpoint);
        if (e != null && !e.status.equals("spent") && !e.status.equals("retired")) {
            e.dirty = true;
            e.dirtyReason = reason == null || reason.isBlank() ? "conflict" : reason;
            e.dirtyAt = clock.instant();
        }
    }

    @Override
    public synchronized int releaseExpired(Instant now) {
        int n = 0;
        for (Map.Entry<Outpoint, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (e.status.equals("reserved") && e.reservedUntil.isBefore(now) && !spends.containsKey(me.getKey())) {
                free(e);
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized void markMined(Txid txid, int blockHeight) {
        for (Entry e : entries.values()) {
            if (e.utxo.outpoint().txid().equals(txid)) {
                e.depth = 0;
                e.blockHeight = blockHeight;
            }
        }
    }

    @Override
    public synchronized PoolDepth depth() {
        PoolSnapshot s = snapshot();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> sats = new LinkedHashMap<>();
        for (String status : List.of("pending", "available", "reserved")) {
            counts.put(status, s.countByStatus().get(status));
            sats.put(status, s.satsByStatus().get(status));
        }
        return new PoolDepth(counts, sats, s.publishAvailable(), s.fundingAvailableSats());
    }

    @Override
    public synchronized PoolSnapshot snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> sats = new LinkedHashMap<>();
        for (String s : List.of("pending", "available", "reserved", "spent", "retired")) {
            counts.put(s, 0L);
            sats.put(s, 0L);
        }
        long publishAvailable = 0;
        long fundingSats = 0;
        for (Entry e : entries.values()) {
            counts.merge(e.status, 1L, Long::sum);
            sats.merge(e.status, e.sats(), Long::sum);
            if (usable(e, Purpose.PUBLISH)) {
                publishAvailable++;
            }
            if (e.purpose == Purpose.FUNDING && e.status.equals("available") && !e.dirty) {
                fundingSats += e.sats();
            }
        }
        return new PoolSnapshot(counts, sats, publishAvailable, fundingSats,
                sats.get("available") + sats.get("reserved"), feesPaid, sats.get("retired"), funded);
    }

    @Override
    public synchronized Optional<Utxo> find(Outpoint outpoint) {
        return Optional.ofNullable(entries.get(outpoint)).map(e -> e.utxo);
    }

    @Override
    public synchronized int add(Collection<Utxo> utxos, Purpose purpose, int chainDepth) {
        int n = 0;
        for (Utxo u : utxos) {
            if (!entries.containsKey(u.outpoint())) {
                entries.put(u.outpoint(), new Entry(nextId++, u, purpose, chainDepth));
                funded += u.satoshis().value();
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized List<DirtyUtxo> dirty(Instant olderThan, int limit) {
        return entries.values().stream()
                .filter(e -> e.dirty && !e.status.equals("spent") && !e.status.equals("retired")
                        && e.dirtyAt.isBefore(olderThan))
                .sorted(Comparator.comparing((Entry e) -> e.dirtyAt).thenComparingLong(e -> e.id))
                .limit(limit)
                .map(e -> new DirtyUtxo(e.utxo.outpoint(), e.dirtyReason, e.dirtyAt,
                        Optional.ofNullable(spends.get(e.utxo.outpoint()))))
                .toList();
    }

    @Override
    public synchronized void restore(Outpoint outpoint) {
        Entry e = entries.get(outpoint);
        if (e != null && e.dirty && !e.status.equals("spent") && !e.status.equals("retired")) {
            e.dirty = false;
            e.dirtyReason = null;
            e.dirtyAt = null;
        }
    }

    @Override
    public synchronized void retire(Outpoint outpoint, Txid spentBy, String reason) {
        Entry e = entries.get(outpoint);
        if (e != null && !e.status.equals("spent")) {
            e.status = "retired";
            if (spentBy != null) {
                e.spentBy = spentBy;
            }
            e.holder = null;
            e.reservedUntil = null;
            e.dirty = true;
            e.dirtyReason = reason == null ? "retired" : reason;
            if (e.dirtyAt == null) {
                e.dirtyAt = clock.instant();
            }
        }
    }

    /** Satoshis as a value type, for callers that hold an in-memory pool directly. */
    public synchronized Satoshis feesPaid() {
        return Satoshis.of(feesPaid);
    }
}
