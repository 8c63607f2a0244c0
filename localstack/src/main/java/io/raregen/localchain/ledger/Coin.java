package io.raregen.localchain.ledger;

import io.raregen.core.types.Txid;

/**
 * An output the ledger knows, spent or not. Value and script never change; {@code spentBy}
 * and {@code depth} are guarded by the ledger lock.
 */
final class Coin {
    final long value;
    final byte[] script;
    /** The accepted transaction spending this output, or null. */
    Txid spentBy;
    /** Unconfirmed ancestors of the creating transaction, itself included; 0 once mined (faucet outputs too). */
    int depth;

    Coin(long value, byte[] script, int depth) {
        this.value = value;
        this.script = script;
        this.depth = depth;
    }
}
