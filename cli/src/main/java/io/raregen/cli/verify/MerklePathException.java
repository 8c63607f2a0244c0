package io.raregen.cli.verify;

/** A merkle path that does not parse or does not lead anywhere. */
public final class MerklePathException extends Exception {
    public MerklePathException(String message) {
        super(message);
    }
}
