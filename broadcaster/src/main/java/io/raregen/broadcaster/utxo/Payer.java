package io.raregen.broadcaster.utxo;

import io.raregen.broadcaster.fees.FeePolicy;
import io.raregen.core.keys.KeyPair;

/**
 * What pays for the service's transactions: the pool's outputs, the key that unlocks them and takes the change, and the
 * fee rate they pay at. The batch pipeline and the anchoring window pay the same way.
 */
public record Payer(UtxoPool pool, KeyPair key, FeePolicy fees) {
}
