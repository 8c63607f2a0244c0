package io.raregen.functions.identity;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A registered public key and its state. */
public record Identity(String pubkey, String status, Instant createdAt, @Nullable Instant revokedAt) {

    public boolean active() {
        return "active".equals(status);
    }
}
