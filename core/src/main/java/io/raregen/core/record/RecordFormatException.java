package io.raregen.core.record;

/** An output script is not a RareGen record in a format this version understands. */
public final class RecordFormatException extends Exception {
    public RecordFormatException(String message) {
        super(message);
    }
}
