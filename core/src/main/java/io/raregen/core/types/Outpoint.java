package io.raregen.core.types;

/** A reference to one output of a transaction. */
public record Outpoint(Txid txid, int vout) {
    public Outpoint {
        if (txid == null) {
            throw new IllegalArgumentException("txid must not be null");
        }
        if (vout < 0) {
            throw new IllegalArgumentException("vout must be >= 0, got " + vout);
        }
    }

    /** Parses "txid:vout". */
    public static Outpoint parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("outpoint must not be null");
        }
        int colon = s.indexOf(':');
        if (colon != 64 || s.length() > 64 + 1 + 10) {
            throw new IllegalArgumentException("outpoint must be <txid>:<vout>");
        }
        int vout;
        try {
            vout = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("outpoint vout is not a number", e);
        }
        if (!s.substring(colon + 1).matches("0|[1-9][0-9]*")) {
            throw new IllegalArgumentException("outpoint vout must be a plain decimal number");
        }
        return new Outpoint(Txid.fromHex(s.substring(0, colon)), vout);
    }

    @Override
    public String toString() {
        return txid.hex() + ":" + vout;
    }
}
