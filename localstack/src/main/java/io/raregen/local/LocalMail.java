package io.raregen.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The local stack's mail server: a real SMTP server (GreenMail) the functions app sends sign-in codes to. Nothing
 * leaves the machine. Each message is printed by the launcher and appended to {@code <stateDir>/mail/inbox.jsonl}
 * ({@code {"at","to","subject"}} per line), where {@code raregen login} finds its code.
 */
final class LocalMail implements AutoCloseable {

    static final String INBOX = "mail/inbox.jsonl";

    private final GreenMail server;
    private final Path inbox;
    private final Log log;
    private final ObjectMapper json;
    private final Thread watcher;
    private volatile boolean closed;

    private LocalMail(GreenMail server, Path inbox, Log log, ObjectMapper json) {
        this.server = server;
        this.inbox = inbox;
        this.log = log;
        this.json = json;
        this.watcher = new Thread(this::watch, "local-mail");
        this.watcher.setDaemon(true);
    }

    static LocalMail start(int port, Path stateDir, Log log, ObjectMapper json) throws IOException {
        Path inbox = stateDir.resolve(INBOX);
        Files.createDirectories(inbox.getParent());
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        LocalMail mail = new LocalMail(server, inbox, log, json);
        mail.watcher.start();
        return mail;
    }

    int port() {
        return server.getSmtp().getPort();
    }

    Path inbox() {
        return inbox;
    }

    private void watch() {
        int seen = 0;
        while (!closed) {
            try {
                server.waitForIncomingEmail(500, seen + 1);
                MimeMessage[] all = server.getReceivedMessages();
                for (; seen < all.length; seen++) {
                    deliver(all[seen]);
                }
            } catch (RuntimeException | IOException | MessagingException e) {
                if (!closed) {
                    log.info("local mail: could not read a message (" + e + ")");
                }
            }
        }
    }

    private void deliver(MimeMessage m) throws MessagingException, IOException {
        Address[] to = m.getRecipients(Message.RecipientType.TO);
        String recipients = to == null ? "" : Arrays.stream(to).map(Address::toString).collect(Collectors.joining(", "));
        log.info("mail to " + recipients + ": " + m.getSubject());
        ObjectNode n = json.createObjectNode();
        n.put("at", Instant.now().toString());
        n.put("to", recipients);
        n.put("subject", m.getSubject());
        Files.writeString(inbox, json.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        closed = true;
        server.stop();
    }
}
