package io.raregen.functions.accounts;

import io.raregen.core.accounts.EmailAddress;

import java.time.Duration;

/** Sends a sign-in code to an address. */
public interface CodeMailer {

    /**
     * Hands the mail to the mail service.
     *
     * @throws MailUnavailableException when it does not take it
     */
    void sendCode(EmailAddress to, String code, Duration validFor);

    /** The mail service refused or could not be reached. */
    class MailUnavailableException extends RuntimeException {
        public MailUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
