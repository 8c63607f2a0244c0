package io.raregen.core.proof;

/** A BUMP that is malformed or does not lead from the given transaction to a root. */
public class MerklePathException extends Exception {
    public MerklePathException(String message) {
        super(message);
    }
}
