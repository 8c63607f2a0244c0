package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.accounts.EmailAddress;
import io.raregen.core.types.AccountId;
import io.raregen.core.types.PublicKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts, the keys they own, and their credit ledger. */
public interface AccountStore {

    /** The account of the address, created (with {@code starterCredits} in the ledger) when there is none. */
    SignedIn signIn(EmailAddress email, long starterCredits);

    Optional<Account> find(AccountId id);

    Optional<Account> findByEmail(EmailAddress email);

    /** The account's keys, newest first. */
    List<AccountKey> keys(AccountId id);

    /** The account's newest ledger entries, newest first, only those with {@code entryId < before} when given. */
    List<LedgerEntry> ledger(AccountId id, int limit, @Nullable Long before);

    /** The newest jobs published with the account's keys. */
    List<AccountJob> jobs(AccountId id, int limit);

    /**
     * Adds credits with a ledger entry of {@code kind}, in one transaction. With a {@code reference}, the same
     * (account, kind, reference) adds once: a repeat answers the first entry with {@code repeated}.
     *
     * @return empty when the account does not exist
     */
    Optional<Credited> credit(AccountId id, long credits, String kind, @Nullable String reference, @Nullable String note);

    /** Binds a registered key to the account unless another account owns it. */
    Binding bind(PublicKey key, AccountId id);

    /** Who owns a key: empty for a key of no account (or no such key). */
    Optional<AccountId> owner(PublicKey key);

    /** Result of {@link #signIn}. */
    record SignedIn(Account account, boolean created) {
    }

    /** Result of {@link #credit}: the entry and the balance after it. */
    record Credited(LedgerEntry entry, long balance, boolean repeated) {
    }

    /** A key of an account. */
    @Serdeable
    record AccountKey(String pubkey, String status, Instant createdAt) {
    }

    /** A job of an account's key, as the account page lists it. */
    @Serdeable
    record AccountJob(String jobId, String pubkey, String status, Instant createdAt, @Nullable String txid) {
    }

    /** Result of {@link #bind}. */
    enum Binding {
        /** The key is now (or already was) the account's. */
        BOUND,
        /** Another account owns the key. */
        OTHER_ACCOUNT
    }
}
