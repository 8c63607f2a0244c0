package io.raregen.broadcaster.utxo;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-checks dirty UTXOs against the network and settles them: a UTXO proven spent by a transaction
 * that is not ours is retired for good; one whose competitors were all refused is restored; one whose
 * own stored spender was accepted is clean again (the result applier then marks it spent). Undecided
 * cases wait for the next round; after {@code abandonAfter} with nothing provable they are retired,
 * because re-using an outpoint of unknown state risks a double spend.
 *
 * <p>Competing txids are read from the dirty reason: every 64-hex token in it (ARC's competingTxs,
 * e.g. {@code "DOUBLE_SPEND_ATTEMPTED competing=[<txid>, ...]"}).
 */
public final class DirtyUtxoChecker {
    private static final Logger LOG = LoggerFactory.getLogger(DirtyUtxoChecker.class);
    private static final Pattern TXID = Pattern.compile("\\b[0-9a-fA-F]{64}\\b");

    /** What one round decided. */
    public record Result(int checked, int restored, int retired, int undecided) {
    }

    private final UtxoPool pool;
    private final TransactionBroadcaster network;
    private final Clock clock;
    private final Duration minAge;
    private final Duration abandonAfter;

    public DirtyUtxoChecker(UtxoPool pool, TransactionBroadcaster network, Clock clock, Duration minAge,
                            Duration abandonAfter) {
        this.pool = pool;
        this.network = network;
        this.clock = clock;
        this.minAge = minAge;
        this.abandonAfter = abandonAfter;
    }

    public Result runOnce(int limit) {
        Instant now = clock.instant();
        int restored = 0;
        int retired = 0;
        int undecided = 0;
        var dirty = pool.dirty(now.minus(minAge), limit);
        for (UtxoPool.DirtyUtxo d : dirty) {
            Set<Txid> competitors = competitors(d.reason());
            d.ourSpendingTxid().ifPresent(competitors::remove);
            Optional<Txid> winner = Optional.empty();
            boolean allCompetitorsRefused = true;
            for (Txid c : competitors) {
                BroadcastResult r = network.status(c);
                Outcome o = r == null ? Outcome.UNKNOWN : r.outcome();
                if (o == Outcome.ACCEPTED || o == Outcome.MINED) {
                    winner = Optional.of(c);
                    break;
                }
                // a REJECTED status is final whatever its reason (a "double spend" rejection maps to CONFLICT
                // for a sender, but for us it means that competitor lost)
                if (o != Outcome.REJECTED && !"REJECTED".equals(r == null ? null : r.networkStatus())) {
                    allCompetitorsRefused = false;
                }
            }
            if (winner.isPresent()) {
                pool.retire(d.outpoint(), winner.get(), "spent elsewhere by " + winner.get());
                LOG.warn("utxo {} retired: spent by {} (not ours)", d.outpoint(), winner.get());
                retired++;
                continue;
            }
            Optional<Outcome> ours = d.ourSpendingTxid().map(this::outcome);
            boolean oursWon = ours.filter(o -> o == Outcome.ACCEPTED || o == Outcome.MINED).isPresent();
            if (oursWon || (!competitors.isEmpty() && allCompetitorsRefused)) {
                pool.restore(d.outpoint());
                LOG.info("utxo {} restored ({})", d.outpoint(), oursWon ? "our transaction was accepted"
                        : "every competing transaction was refused");
                restored++;
            } else if (d.dirtyAt().plus(abandonAfter).isBefore(now)) {
                pool.retire(d.outpoint(), null, "unresolved after " + abandonAfter + ": " + d.reason());
                LOG.warn("utxo {} retired: conflict unresolved after {}", d.outpoint(), abandonAfter);
                retired++;
            } else {
                undecided++;
            }
        }
        return new Result(dirty.size(), restored, retired, undecided);
    }

    private Outcome outcome(Txid txid) {
        BroadcastResult r = network.status(txid);
        return r == null ? Outcome.UNKNOWN : r.outcome();
    }

    static Set<Txid> competitors(String reason) {
        Set<Txid> out = new LinkedHashSet<>();
        if (reason != null) {
            Matcher m = TXID.matcher(reason);
            while (m.find()) {
                out.add(Txid.fromHex(m.group()));
            }
        }
        return out;
    }
}
