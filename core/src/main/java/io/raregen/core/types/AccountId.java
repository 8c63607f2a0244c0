package io.raregen.core.types;

import java.util.UUID;

/** Identifier of an account: a random UUID, shown in its canonical lower-case form. */
public record AccountId(UUID value) {
    public AccountId {
        if (value == null) {
            throw new IllegalArgumentException("account id must not be null");
        }
    }

    public static AccountId generate() {
        return new AccountId(UUID.randomUUID());
    }

    /** @throws IllegalArgumentException unless {@code s} is a UUID in canonical 8-4-4-4-12 form */
    public static AccountId parse(String s) {
        if (s == null || s.length() != 36) {
            throw new IllegalArgumentException("account id must be a UUID");
        }
        return new AccountId(UUID.fromString(s));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
