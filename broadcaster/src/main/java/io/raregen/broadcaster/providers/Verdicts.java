package io.raregen.broadcaster.providers;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.NetworkStatus;
import io.raregen.core.types.Txid;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * One verdict per transaction from what several providers said. The network decides, not one door:
 * <ol>
 *   <li>mined anywhere → mined; accepted anywhere → accepted; in flight anywhere → in flight (re-checked later);</li>
 *   <li>rejected or double-spend → only when {@code required} providers say so (2 when there are two or more);
 *   a lone negative verdict is unknown ({@code UNCONFIRMED_REJECTED} / {@code UNCONFIRMED_CONFLICT}), so the
 *   job keeps its bytes and inputs until another provider confirms or the transaction is mined;</li>
 *   <li>otherwise unknown; {@code NOT_FOUND} ("safe to send again") only when every provider asked said so.</li>
 * </ol>
 * A positive and a negative answer for the same transaction is a disagreement: reported to {@code onDisagreement}.
 */
final class Verdicts {

    /** What one provider said about one transaction. */
    record Answer(String provider, BroadcastResult result) {
        @Override
        public String toString() {
            return provider + "=" + result.outcome() + (result.errorCode() == null ? "" : "(" + result.errorCode() + ")");
        }
    }

    private final int required;
    private final BiConsumer<Txid, List<Answer>> onDisagreement;

    Verdicts(int required, BiConsumer<Txid, List<Answer>> onDisagreement) {
        this.required = Math.max(1, required);
        this.onDisagreement = onDisagreement;
    }

    int required() {
        return required;
    }

    static boolean positive(Outcome o) {
        return o == Outcome.MINED || o == Outcome.ACCEPTED || o == Outcome.IN_FLIGHT;
    }

    static boolean negative(Outcome o) {
        return o == Outcome.REJECTED || o == Outcome.CONFLICT;
    }

    /** Whether some provider accepted or mined it. */
    static boolean hasAcceptance(List<Answer> answers) {
        return answers.stream().anyMatch(a -> a.result().outcome() == Outcome.ACCEPTED || a.result().outcome() == Outcome.MINED);
    }

    /** How many distinct providers gave a negative verdict. */
    static long negatives(List<Answer> answers) {
        return answers.stream().filter(a -> negative(a.result().outcome())).map(Answer::provider).distinct().count();
    }

    static boolean anyPositive(List<Answer> answers) {
        return answers.stream().anyMatch(a -> positive(a.result().outcome()));
    }

    /** A negative verdict that another provider must still confirm. */
    boolean needsConfirmation(List<Answer> answers) {
        long n = negatives(answers);
        return n > 0 && n < required && !anyPositive(answers);
    }

    BroadcastResult decide(Txid txid, List<Answer> answers) {
        if (answers.isEmpty()) {
            return unknown(txid, "NO_PROVIDER", "no provider could take the transaction (breakers open or budgets spent)");
        }
        long neg = negatives(answers);
        if (neg > 0 && anyPositive(answers)) {
            onDisagreement.accept(txid, List.copyOf(answers));
        }
        for (Outcome o : new Outcome[] {Outcome.MINED, Outcome.ACCEPTED, Outcome.IN_FLIGHT}) {
            BroadcastResult best = null;
            for (Answer a : answers) {
                BroadcastResult r = a.result();
                if (r.outcome() == o && (best == null || best.merklePathHex() == null && r.merklePathHex() != null)) {
                    best = r;
                }
            }
            if (best != null) {
                return best;
            }
        }
        if (neg >= required) {
            return answers.stream().filter(a -> negative(a.result().outcome())).findFirst().orElseThrow().result();
        }
        if (neg > 0) {
            Answer lone = answers.stream().filter(a -> negative(a.result().outcome())).findFirst().orElseThrow();
            return unknown(txid, "UNCONFIRMED_" + lone.result().outcome(),
                    lone.provider() + " said " + lone.result().outcome() + " (" + lone.result().errorCode()
                            + "); no second provider has confirmed it");
        }
        return answers.stream().map(Answer::result).filter(r -> !NetworkStatus.isNotFound(r)).findFirst()
                .orElse(answers.get(0).result());
    }

    private static BroadcastResult unknown(Txid txid, String code, String detail) {
        return new BroadcastResult(txid, Outcome.UNKNOWN, null, code, detail, List.of(), null, null, null);
    }
}
