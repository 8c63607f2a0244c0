package io.raregen.cli.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack's mail, as its launcher writes it ({@code <stateDir>/mail/inbox.jsonl}, named by
 * {@code RAREGEN_LOCAL_MAILBOX} in the stack's cli.env): {@code raregen login} reads its sign-in code there, so the
 * local quickstart needs no mailbox.
 */
public final class LocalMailbox {

    private static final Pattern CODE = Pattern.compile("sign-in code: ([0-9]{6})");

    private final Path inbox;

    public LocalMailbox(Path inbox) {
        this.inbox = inbox;
    }

    /** Messages in the inbox so far. */
    public int count() {
        return lines().size();
    }

    /** Waits for a message to {@code email} after the first {@code skip} and returns its code. */
    public Optional<String> awaitCode(String email, int skip, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            List<String> lines = lines();
            for (int i = skip; i < lines.size(); i++) {
                try {
                    JsonNode n = Json.MAPPER.readTree(lines.get(i));
                    Matcher m = CODE.matcher(n.path("subject").asText());
                    if (n.path("to").asText().equalsIgnoreCase(email) && m.find()) {
                        return Optional.of(m.group(1));
                    }
                } catch (IOException ignored) {
                    // a line being written: read again on the next turn
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private List<String> lines() {
        try {
            return Files.exists(inbox) ? Files.readAllLines(inbox) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
