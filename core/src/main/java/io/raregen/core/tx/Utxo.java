package io.raregen.core.tx;

import io.raregen.core.internal.Hex;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;

import java.util.Arrays;
import java.util.Objects;

/** A spendable output: where it is, what it holds and the script that locks it. */
public record Utxo(Outpoint outpoint, Satoshis satoshis, byte[] lockingScript) {
    public Utxo {
        if (outpoint == null || satoshis == null || lockingScript == null) {
            throw new IllegalArgumentException("utxo needs outpoint, satoshis and locking script");
        }
        lockingScript = lockingScript.clone();
    }

    @Override
    public byte[] lockingScript() {
        return lockingScript.clone();
    }

    /** Internal read without a copy. */
    byte[] script() {
        return lockingScript;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Utxo u && outpoint.equals(u.outpoint) && satoshis.equals(u.satoshis)
                && Arrays.equals(lockingScript, u.lockingScript);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outpoint, satoshis, Arrays.hashCode(lockingScript));
    }

    @Override
    public String toString() {
        return "Utxo[" + outpoint + ", " + satoshis + ", script=" + Hex.encode(lockingScript) + "]";
    }
}
