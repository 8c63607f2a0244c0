package io.raregen.core.anchor;

/** A script that is not a version-1 anchor output; the message says which rule it breaks. */
public final class AnchorFormatException extends Exception {
    public AnchorFormatException(String message) {
        super(message);
    }
}
