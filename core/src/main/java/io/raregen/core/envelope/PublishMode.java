package io.raregen.core.envelope;

import java.util.Optional;

/**
 * How a publish request is put on chain — an option of the service, sent beside the envelope and not signed:
 * {@code record} (the default) gives the record its own transaction; {@code anchor} publishes it as a leaf of a
 * batch's merkle tree whose root one transaction carries (docs/PROTOCOL.md#anchor-mode).
 */
public enum PublishMode {
    RECORD("record"),
    ANCHOR("anchor");

    private final String wire;

    PublishMode(String wire) {
        this.wire = wire;
    }

    /** The value as it is written in requests, responses and the database. */
    public String wire() {
        return wire;
    }

    public static Optional<PublishMode> fromWire(String s) {
        for (PublishMode m : values()) {
            if (m.wire.equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
