package io.raregen.broadcaster.deposits;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.broadcaster.funding.FundingService;
import io.raregen.core.keys.DepositKeys;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.tx.InsufficientFundsException;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Satoshis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;

/**
 * One round of the BSV top-up (docs/ACCOUNTS.md#top-up-in-bsv): publish the terms, read every watched account's
 * deposit address, record what was paid, credit each payment once it is {@code confirmations} blocks deep
 * (floor(satoshis / price) credits, one {@code topup} ledger entry referenced by the outpoint), then move each
 * credited payment to the funding address with a transaction signed by the address's own key and import it into
 * the pool as funding.
 *
 * <p>Idempotent by the outpoint: a payment seen again, a round replayed, or a second broadcaster credits nothing
 * more. A payment is credited only while the chain shows it unspent and deep enough: one reorged away before its
 * confirmations drops back to height 0 and waits (or is never credited if it does not come back).
 */
public final class DepositWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DepositWatch.class);

    private final DepositStore store;
    private final DepositChain chain;
    private final DepositKeys keys;
    private final Network network;
    private final DepositSettings settings;
    private final TransactionBroadcaster broadcaster;
    private final FundingService funding;
    private final KeyPair fundingKey;
    private final FeePolicy fees;

    public DepositWatch(DepositStore store, DepositChain chain, KeyPair fundingKey, Network network, DepositSettings settings,
                        TransactionBroadcaster broadcaster, FundingService funding, FeePolicy fees) {
        this.store = store;
        this.chain = chain;
        this.keys = DepositKeys.fromServiceKey(fundingKey);
        this.fundingKey = fundingKey;
        this.network = network;
        this.settings = settings;
        this.broadcaster = broadcaster;
        this.funding = funding;
        this.fees = fees;
    }

    /** What a round did. */
    public record Round(int seen, int credited, int swept) {
    }

    public Round runOnce() throws SQLException {
        store.publishTerms(keys.xpub(), network, settings.getSatsPerCredit(), settings.getConfirmations());
        List<DepositStore.Watched> watched = store.watched();
        if (watched.isEmpty()) {
            return new Round(0, 0, sweep());
        }
        long tip = chain.tipHeight();
        int seen = 0;
        int credited = 0;
        for (DepositStore.Watched w : watched) {
            for (DepositChain.Payment d : chain.unspent(keys.address(w.index(), network))) {
                store.seen(w.accountId(), d.outpoint(), d.satoshis(), Math.max(0, d.height()));
                seen++;
                if (d.height() > 0 && tip - d.height() + 1 >= settings.getConfirmations()
                        && store.credit(w.accountId(), d.outpoint(), d.satoshis() / settings.getSatsPerCredit(), d.satoshis())) {
                    credited++;
                    LOG.info("top-up {} ({} sats) credited to account {}: {} credits", d.outpoint(), d.satoshis(), w.accountId(),
                            d.satoshis() / settings.getSatsPerCredit());
                }
            }
        }
        return new Round(seen, credited, sweep());
    }

    /** Moves credited payments to the funding address; a failure is retried next round (same signed bytes). */
    private int sweep() throws SQLException {
        int swept = 0;
        for (DepositStore.Unswept u : store.unswept()) {
            KeyPair key = keys.keyPair(u.index());
            SignedTransaction tx;
            try {
                tx = new TransactionBuilder()
                        .addInput(new Utxo(u.outpoint(), Satoshis.of(u.satoshis()), key.p2pkhLockingScript()))
                        .changeTo(fundingKey.p2pkhLockingScript())
                        .sign(key, fees.current());
            } catch (InsufficientFundsException e) {
                LOG.warn("top-up {} ({} sats) is too small to move to the funding address; left where it is", u.outpoint(), u.satoshis());
                continue;
            }
            BroadcastResult r = broadcaster.broadcast(List.of(tx)).stream().findFirst().orElse(null);
            if (r == null || !(r.outcome() == BroadcastResult.Outcome.ACCEPTED || r.outcome() == BroadcastResult.Outcome.MINED
                    || r.outcome() == BroadcastResult.Outcome.IN_FLIGHT)) {
                LOG.warn("moving top-up {} to the funding address: {} {}", u.outpoint(), r == null ? "no answer" : r.outcome(),
                        r == null ? "" : r.detail());
                continue;
            }
            funding.importOutput(tx.txid().hex() + ":0", tx.rawHex(), r.outcome() == BroadcastResult.Outcome.MINED ? 0 : 1);
            store.swept(u.outpoint(), tx.txid());
            swept++;
        }
        return swept;
    }
}
