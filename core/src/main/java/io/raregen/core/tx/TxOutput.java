package io.raregen.core.tx;

import io.raregen.core.internal.Hex;
import io.raregen.core.types.Satoshis;

import java.util.Arrays;
import java.util.Objects;

/** A transaction output: value and locking script. */
public record TxOutput(Satoshis value, byte[] script) {
    public TxOutput {
        if (value == null || script == null) {
            throw new IllegalArgumentException("output needs value and script");
        }
        script = script.clone();
    }

    @Override
    public byte[] script() {
        return script.clone();
    }

    byte[] scriptRef() {
        return script;
    }

    /** Serialised size: 8-byte value + varint length + script. */
    public int serializedSize() {
        return 8 + io.raregen.core.internal.ByteWriter.varIntSize(script.length) + script.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxOutput t && value.equals(t.value) && Arrays.equals(script, t.script);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, Arrays.hashCode(script));
    }

    @Override
    public String toString() {
        String hex = script.length > 64 ? Hex.encode(Arrays.copyOf(script, 64)) + "...(" + script.length + " bytes)"
                : Hex.encode(script);
        return "TxOutput[" + value + ", script=" + hex + "]";
    }
}
