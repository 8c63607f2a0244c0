package io.raregen.functions.accounts;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.email.javamail.sender.DefaultSessionProvider;
import io.micronaut.email.javamail.sender.MailPropertiesProvider;
import io.micronaut.email.javamail.sender.SessionProvider;
import jakarta.inject.Singleton;
import jakarta.mail.Session;

/**
 * The Jakarta Mail session of this application, built from {@code javamail.properties}. Micronaut Email's default
 * provider takes {@code Session.getDefaultInstance}, which is one per JVM: the first application context's SMTP
 * settings would then hold for every later one in the same process (tests start several).
 */
@Singleton
@Requires(property = "javamail.enabled", notEquals = "false")
@Replaces(DefaultSessionProvider.class)
public class SmtpSessionProvider implements SessionProvider {

    private final Session session;

    public SmtpSessionProvider(MailPropertiesProvider properties) {
        this.session = Session.getInstance(properties.mailProperties());
    }

    @Override
    public Session session() {
        return session;
    }
}
