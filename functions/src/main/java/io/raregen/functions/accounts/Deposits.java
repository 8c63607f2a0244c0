package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.types.AccountId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** BSV top-ups as the functions see them: the terms the broadcaster published, an account's index and payments. */
public interface Deposits {

    /** The published terms; empty until the broadcaster has published them. */
    Optional<Terms> terms();

    /** The account's deposit index, given now (the next one) if it had none. */
    int indexOf(AccountId account);

    /** The account's payments, newest first. */
    List<Payment> payments(AccountId account);

    /** What a payment buys and when. */
    record Terms(String xpub, String network, long satsPerCredit, int confirmations) {
    }

    /** A payment to the account's deposit address. */
    @Serdeable
    record Payment(String txid, int vout, long satoshis, int height, Instant seenAt, @Nullable Instant creditedAt,
                   @Nullable Long credits, @Nullable String sweptTxid) {
    }
}
