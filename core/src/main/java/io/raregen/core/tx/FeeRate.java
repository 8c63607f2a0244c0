package io.raregen.core.tx;

import io.raregen.core.types.Satoshis;

/** A miner fee rate: {@code satoshis} per {@code bytes}, applied as ceil(size × satoshis / bytes) like ARC does. */
public record FeeRate(long satoshis, long bytes) {
    public FeeRate {
        if (satoshis < 0 || bytes <= 0) {
            throw new IllegalArgumentException("fee rate needs satoshis >= 0 and bytes > 0");
        }
    }

    public static FeeRate perKb(long satoshisPerKb) {
        return new FeeRate(satoshisPerKb, 1000);
    }

    public Satoshis feeFor(int sizeBytes) {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        long num = Math.multiplyExact((long) sizeBytes, satoshis);
        return Satoshis.of(Math.floorDiv(num + bytes - 1, bytes));
    }

    @Override
    public String toString() {
        return satoshis + " sat/" + bytes + " B";
    }
}
