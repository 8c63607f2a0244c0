package io.raregen.core.types;

/**
 * Identifier of a batch: a publish batch (the jobs one broadcaster claimed, signed and sent together) or an anchor
 * batch (the records one anchor transaction commits to). New ids are ULIDs, so they sort by creation time; ids read
 * back from the database are taken as stored (up to 32 characters, the column's width).
 */
public record BatchId(String value) {
    public BatchId {
        if (value == null || value.isBlank() || value.length() > 32) {
            throw new IllegalArgumentException("batch id must be 1 to 32 characters");
        }
    }

    public static BatchId generate() {
        return new BatchId(Ulid.generate());
    }

    @Override
    public String toString() {
        return value;
    }
}
