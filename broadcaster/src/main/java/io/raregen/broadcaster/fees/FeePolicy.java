package io.raregen.broadcaster.fees;

import io.raregen.core.tx.FeeRate;

/** The fee rate to pay now: from the broadcaster's /v1/policy, refreshed, with a configured fallback. */
public interface FeePolicy {
    FeeRate current();
}
