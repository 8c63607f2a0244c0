package io.raregen.functions.accounts;

import io.raregen.core.accounts.EmailAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Live sign-in codes (one per address, stored as a keyed hash) and the buckets that throttle sending them. */
public interface SignInCodes {

    /**
     * Takes one token from the named bucket (created full), refilling one per {@code refill} up to {@code burst}.
     *
     * @return 0 when a token was taken, else nanoseconds until one is there
     */
    long take(String bucket, int burst, Duration refill);

    /** Stores the code's hash for the address, replacing any earlier code (and its tries). */
    void store(EmailAddress to, byte[] codeHash, Instant expiresAt);

    /** Deletes the address's code (one that could not be sent). */
    void discard(EmailAddress to);

    /**
     * Checks a code entered for the address, in one transaction: a live code that {@code matches} is consumed
     * (deleted) and the answer is true; otherwise its tries go up by one and a code at {@code maxTries} is deleted.
     * No code, an expired one or a dead one: false.
     */
    boolean consume(EmailAddress to, Predicate<byte[]> matches, int maxTries);
}
