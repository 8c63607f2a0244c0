package io.raregen.functions.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on a free port, and what arrived at it. */
public final class Mailbox implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("sign-in code: ([0-9]{6})");

    private final GreenMail mail;

    private Mailbox(GreenMail mail) {
        this.mail = mail;
    }

    public static Mailbox start() {
        GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        g.start();
        return new Mailbox(g);
    }

    public int port() {
        return mail.getSmtp().getPort();
    }

    /** The properties that point a functions app at this server. */
    public Map<String, String> properties() {
        return Map.of("raregen.mail.smtp.host", "127.0.0.1", "raregen.mail.smtp.port", Integer.toString(port()));
    }

    /** Every message received so far for the address. */
    public List<MimeMessage> to(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    public int total() {
        return mail.getReceivedMessages().length;
    }

    /** Waits for the {@code nth} (1-based) message to the address and returns the code in its subject. */
    public String code(String address, int nth, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<MimeMessage> got = to(address);
            if (got.size() >= nth) {
                try {
                    Matcher m = CODE.matcher(got.get(nth - 1).getSubject());
                    if (!m.find()) {
                        throw new IllegalStateException("no code in " + got.get(nth - 1).getSubject());
                    }
                    return m.group(1);
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            mail.waitForIncomingEmail(200, total() + 1);
        }
        throw new AssertionError("no message " + nth + " to " + address + " within " + timeout);
    }

    @Override
    public void close() {
        mail.stop();
    }
}
