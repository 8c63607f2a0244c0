package io.raregen.functions.accounts;

import io.micronaut.email.Contact;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import io.micronaut.email.MultipartBody;
import io.raregen.core.accounts.EmailAddress;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * {@link CodeMailer} through Micronaut Email: SMTP by Jakarta Mail ({@code javamail.*}) wherever an SMTP server is
 * configured (the local stack runs one), Amazon SES on AWS ({@code ses.enabled}). Exactly one of the two is on.
 */
@Singleton
public class MicronautEmailCodeMailer implements CodeMailer {

    private final EmailSender<?, ?> sender;
    private final AccountsConfiguration config;

    public MicronautEmailCodeMailer(EmailSender<?, ?> sender, AccountsConfiguration config) {
        this.sender = sender;
        this.config = config;
    }

    @Override
    public void sendCode(EmailAddress to, String code, Duration validFor) {
        long minutes = Math.max(1, validFor.toMinutes());
        String text = "Your RareGen sign-in code is " + code + "\n\n"
                + "It is valid for " + minutes + " minutes and can be used once.\n"
                + "If you did not ask for it, ignore this mail: nobody can sign in without the code.\n";
        String html = "<p>Your RareGen sign-in code is</p><p style=\"font-size:28px;font-weight:600;letter-spacing:4px\">"
                + code + "</p><p>It is valid for " + minutes + " minutes and can be used once.<br>"
                + "If you did not ask for it, ignore this mail: nobody can sign in without the code.</p>";
        try {
            sender.send(Email.builder()
                    .from(new Contact(config.mailFrom(), config.mailFromName()))
                    .to(to.value())
                    .subject("Your RareGen sign-in code: " + code)
                    .body(new MultipartBody(html, text)));
        } catch (RuntimeException e) {
            throw new MailUnavailableException("the mail service did not take the message (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
