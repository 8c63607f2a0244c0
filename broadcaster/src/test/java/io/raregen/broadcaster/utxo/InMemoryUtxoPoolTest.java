package io.raregen.broadcaster.utxo;

import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;

import java.time.Clock;
import java.time.Instant;

/** The pool contract, in memory. */
class InMemoryUtxoPoolTest extends UtxoPoolContract {

    private InMemoryUtxoPool pool;

    @Override
    protected UtxoPool pool() {
        PoolSettings s = new PoolSettings();
        s.setMaxChainDepth(MAX_DEPTH);
        pool = new InMemoryUtxoPool(s, Clock.systemUTC());
        return pool;
    }

    @Override
    protected void recordSpend(Outpoint outpoint, Txid spendingTxid) {
        pool.recordSpend(outpoint, spendingTxid);
    }

    @Override
    protected void recordAcceptedPoolTxFee(Txid txid, long fee) {
        // the in-memory pool derives fees from confirmSpent (inputs minus returned outputs)
    }

    @Override
    protected Instant reservedUntil(Outpoint outpoint) {
        return pool.reservedUntil(outpoint).orElseThrow();
    }

    @Override
    protected String status(Outpoint outpoint) {
        return pool.status(outpoint).orElseThrow();
    }

    @Override
    protected boolean spent(Outpoint outpoint) {
        return pool.status(outpoint).filter("spent"::equals).isPresent();
    }

    @Override
    protected int chainDepth(Outpoint outpoint) {
        return pool.chainDepth(outpoint).orElseThrow();
    }
}
