package io.raregen.core.types;

import java.util.Locale;

/** Identifier of a publish job: a ULID, so ids sort by creation time. */
public record JobId(String value) {
    public JobId {
        if (!Ulid.isValid(value)) {
            throw new IllegalArgumentException("job id must be a ULID (26 upper-case Crockford base32 characters)");
        }
    }

    public static JobId generate() {
        return new JobId(Ulid.generate());
    }

    /** Accepts lower case too (Crockford base32 is case-insensitive); the stored form is upper case. */
    public static JobId parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("job id must not be null");
        }
        return new JobId(s.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
