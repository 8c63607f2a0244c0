package io.raregen.core.proof;

/**
 * A BUMP that is malformed or does not lead from the given transaction to a root. Unchecked (an
 * {@link IllegalArgumentException}): a malformed path is bad input wherever it arrives.
 */
public class MerklePathException extends IllegalArgumentException {
    public MerklePathException(String message) {
        super(message);
    }
}
