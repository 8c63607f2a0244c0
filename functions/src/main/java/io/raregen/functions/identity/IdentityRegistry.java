package io.raregen.functions.identity;

import io.raregen.core.types.PublicKey;

import java.util.Optional;

/** Registered client keys. */
public interface IdentityRegistry {

    /** Inserts the key as active unless it exists; returns the stored row and whether this call created it. */
    Registration register(PublicKey key);

    Optional<Identity> find(PublicKey key);

    /** Marks the key revoked (idempotent); empty when it was never registered. */
    Optional<Identity> revoke(PublicKey key);

    /** Result of {@link #register}. */
    record Registration(Identity identity, boolean created) {
    }
}
