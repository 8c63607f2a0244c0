package io.raregen.core.types;

/** An amount of satoshis; never negative, never a floating-point number. */
public record Satoshis(long value) implements Comparable<Satoshis> {
    public static final Satoshis ZERO = new Satoshis(0);

    public Satoshis {
        if (value < 0) {
            throw new IllegalArgumentException("satoshis must be >= 0, got " + value);
        }
    }

    public static Satoshis of(long value) {
        return value == 0 ? ZERO : new Satoshis(value);
    }

    public Satoshis plus(Satoshis other) {
        return new Satoshis(Math.addExact(value, other.value));
    }

    /** @throws IllegalArgumentException if the result would be negative */
    public Satoshis minus(Satoshis other) {
        return new Satoshis(Math.subtractExact(value, other.value));
    }

    /** Below the 1-satoshi dust limit of spendable outputs. */
    public boolean isDust() {
        return value < 1;
    }

    @Override
    public int compareTo(Satoshis o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return value + " sat";
    }
}
