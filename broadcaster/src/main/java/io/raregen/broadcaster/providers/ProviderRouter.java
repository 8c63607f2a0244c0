package io.raregen.broadcaster.providers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.providers.Verdicts.Answer;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Broadcasts through several providers (docs/OPERATIONS.md#broadcast-providers). The txid is the
 * idempotency key: the same bytes sent through several doors are one transaction on the network.
 *
 * <ul>
 *   <li>{@code primary-with-failover}: to the first provider whose breaker lets a call through;
 *   what it does not settle (no answer, unknown, beyond its budget) goes to the next.</li>
 *   <li>{@code all}: to {@code sendTo} providers at once; the first acceptance decides and the
 *   others' answers are only compared with it.</li>
 * </ul>
 *
 * A rejection or double-spend verdict from one provider is never final while another provider
 * could say otherwise: the same bytes go to a second provider, and the verdict stands only when it
 * agrees ({@link Verdicts}). Until then the transaction stays open (unknown): the job keeps its
 * signed bytes and its inputs, and the rescuer asks again later.
 */
public final class ProviderRouter implements TransactionBroadcaster, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRouter.class);

    private final List<Provider> providers;
    private final RoutingSettings.Policy policy;
    private final int sendTo;
    private final Verdicts verdicts;
    private final ExecutorService fanOut;

    public ProviderRouter(List<Provider> providers, RoutingSettings routing, MeterRegistry registry) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("at least one provider");
        }
        List<Provider> ordered = new ArrayList<>(providers);
        ordered.sort(Comparator.comparingInt(Provider::priority).thenComparing(Provider::name));
        this.providers = List.copyOf(ordered);
        this.policy = routing.getPolicy();
        this.sendTo = routing.getSendTo() <= 0 ? ordered.size() : Math.min(routing.getSendTo(), ordered.size());
        Counter disagreements = Counter.builder("raregen.arc.disagreements")
                .description("transactions on which providers gave opposite verdicts").register(registry);
        this.verdicts = new Verdicts(Math.min(2, ordered.size()), (txid, answers) -> {
            disagreements.increment();
            LOG.warn("providers disagree on {}: {}", txid, answers);
        });
        Gauge.builder("raregen.arc.providers.available", this, ProviderRouter::available)
                .description("providers whose breaker is not open").register(registry);
        this.fanOut = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "arc-fan-out");
            t.setDaemon(true);
            return t;
        });
    }

    /** Providers whose breaker is not open. */
    public int available() {
        return (int) providers.stream().filter(Provider::available).count();
    }

    @Override
    public List<BroadcastResult> broadcast(List<SignedTransaction> transactions) {
        Map<Txid, SignedTransaction> byTxid = new LinkedHashMap<>();
        transactions.forEach(t -> byTxid.put(t.txid(), t));
        Map<Txid, List<Answer>> answers = new LinkedHashMap<>();
        byTxid.keySet().forEach(t -> answers.put(t, new ArrayList<>()));
        Set<Provider> asked = new HashSet<>();
        if (policy == RoutingSettings.Policy.ALL) {
            all(transactions, answers, asked);
        } else {
            failover(transactions, answers, asked);
        }
        confirmLoneNegatives(byTxid, answers, asked);
        List<BroadcastResult> out = new ArrayList<>(transactions.size());
        answers.forEach((txid, a) -> out.add(verdicts.decide(txid, a)));
        return out;
    }

    private void failover(List<SignedTransaction> txs, Map<Txid, List<Answer>> answers, Set<Provider> asked) {
        List<SignedTransaction> remaining = txs;
        for (Provider p : providers) {
            if (remaining.isEmpty()) {
                return;
            }
            List<BroadcastResult> rs = p.broadcast(remaining);
            if (rs == null) {
                continue;
            }
            asked.add(p);
            Set<Txid> settled = new HashSet<>();
            for (BroadcastResult r : rs) {
                List<Answer> a = answers.get(r.txid());
                if (a != null) {
                    a.add(new Answer(p.name(), r));
                    if (r.outcome() != Outcome.UNKNOWN) {
                        settled.add(r.txid());
                    }
                }
            }
            remaining = remaining.stream().filter(t -> !settled.contains(t.txid())).toList();
        }
    }

    private void all(List<SignedTransaction> txs, Map<Txid, List<Answer>> answers, Set<Provider> asked) {
        CompletionService<Reply> cs = new ExecutorCompletionService<>(fanOut);
        int next = 0;
        int running = 0;
        for (; next < providers.size() && running < sendTo; next++) {
            Provider p = providers.get(next);
            cs.submit(() -> new Reply(p, p.broadcast(txs)));
            running++;
        }
        try {
            while (running > 0) {
                Reply reply = cs.take().get();
                running--;
                if (reply.results() == null) {
                    // breaker open: the next provider in line takes its place
                    if (next < providers.size()) {
                        Provider p = providers.get(next++);
                        cs.submit(() -> new Reply(p, p.broadcast(txs)));
                        running++;
                    }
                    continue;
                }
                asked.add(reply.provider());
                for (BroadcastResult r : reply.results()) {
                    List<Answer> a = answers.get(r.txid());
                    if (a != null) {
                        a.add(new Answer(reply.provider().name(), r));
                    }
                }
                if (running > 0 && answers.values().stream().allMatch(Verdicts::hasAcceptance)) {
                    // every transaction is accepted somewhere: the slower answers are only compared
                    lateAnswers(cs, running, answers);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("a provider call failed unexpectedly", e.getCause());
        }
    }

    /** Compares the answers still on their way with the acceptances already decided, off the caller's thread. */
    private void lateAnswers(CompletionService<Reply> cs, int running, Map<Txid, List<Answer>> decided) {
        Map<Txid, List<Answer>> snapshot = new LinkedHashMap<>();
        decided.forEach((t, a) -> snapshot.put(t, new ArrayList<>(a)));
        fanOut.submit(() -> {
            for (int i = 0; i < running; i++) {
                try {
                    Reply reply = cs.take().get();
                    if (reply.results() == null) {
                        continue;
                    }
                    for (BroadcastResult r : reply.results()) {
                        List<Answer> a = snapshot.get(r.txid());
                        if (a != null && Verdicts.negative(r.outcome()) && Verdicts.negatives(a) == 0) {
                            // the first contradiction of an acceptance already acted on is reported once
                            a.add(new Answer(reply.provider().name(), r));
                            verdicts.decide(r.txid(), a);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    LOG.debug("late provider answer failed", e.getCause());
                }
            }
        });
    }

    /** A lone rejection or double-spend verdict goes to the providers not asked yet, until a second one confirms or contradicts it. */
    private void confirmLoneNegatives(Map<Txid, SignedTransaction> byTxid, Map<Txid, List<Answer>> answers, Set<Provider> asked) {
        List<SignedTransaction> doubtful = new ArrayList<>();
        answers.forEach((txid, a) -> {
            if (verdicts.needsConfirmation(a)) {
                doubtful.add(byTxid.get(txid));
            }
        });
        for (Provider p : providers) {
            if (doubtful.isEmpty()) {
                return;
            }
            if (asked.contains(p)) {
                continue;
            }
            List<BroadcastResult> rs = p.broadcast(doubtful);
            if (rs == null) {
                continue;
            }
            for (BroadcastResult r : rs) {
                List<Answer> a = answers.get(r.txid());
                if (a != null) {
                    a.add(new Answer(p.name(), r));
                }
            }
            doubtful.removeIf(t -> !verdicts.needsConfirmation(answers.get(t.txid())));
        }
    }

    /** Every provider splits requests alike (the common ARC settings): the first one's split stands for all. */
    @Override
    public int firstRequestSize(List<SignedTransaction> transactions) {
        return providers.get(0).firstRequestSize(transactions);
    }

    @Override
    public BroadcastResult status(Txid txid) {
        List<Answer> a = new ArrayList<>();
        for (Provider p : providers) {
            BroadcastResult r = p.status(txid);
            if (r == null) {
                continue;
            }
            a.add(new Answer(p.name(), r));
            if (Verdicts.hasAcceptance(a) || Verdicts.negatives(a) >= verdicts.required()) {
                break;
            }
        }
        return verdicts.decide(txid, a);
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
    }

    private record Reply(Provider provider, List<BroadcastResult> results) {
    }
}
