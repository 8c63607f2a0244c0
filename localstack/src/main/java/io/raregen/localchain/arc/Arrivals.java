package io.raregen.localchain.arc;

import io.raregen.localchain.Arrival;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The arrival log of submitted transactions: what a rate limit at the network's door sees, whatever the client believes
 * it sent when. Kept for the chain's lifetime, like the ledger's transactions (a handful of bytes per submission).
 */
public final class Arrivals {
    private final List<Arrival> log = new ArrayList<>();

    /** Records {@code txids} as arrived at {@code atMillis} (the moment their request was received). */
    public synchronized void record(List<String> txids, long atMillis) {
        for (String txid : txids) {
            log.add(new Arrival(txid, atMillis));
        }
    }

    /** Every arrival so far, ordered by arrival time (ties in recording order). */
    public List<Arrival> all() {
        List<Arrival> copy;
        synchronized (this) {
            copy = new ArrayList<>(log);
        }
        copy.sort(Comparator.comparingLong(Arrival::atMillis));
        return copy;
    }
}
