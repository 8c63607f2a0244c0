package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.AccountId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Sessions, found by the SHA-256 of their token. */
public interface Sessions {

    Session create(AccountId account, byte[] tokenHash, Instant expiresAt, @Nullable String userAgent);

    /** The session of this token hash unless it is unknown, expired or revoked. */
    Optional<Session> active(byte[] tokenHash);

    /** The account's live sessions, newest first. */
    List<Session> list(AccountId account);

    /** Revokes one of the account's sessions; false when it has no such live session. */
    boolean revoke(AccountId account, UUID sessionId);
}
