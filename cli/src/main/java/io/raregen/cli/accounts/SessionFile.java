package io.raregen.cli.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The signed-in session, kept in {@code <home>/session.json} (mode 600) for the API it was opened on:
 * {@code {"api","email","accountId","token"}}. The token is a bearer secret; {@link #toString()} never shows it.
 */
public record SessionFile(String api, String email, String accountId, String token) {

    static final String FILE = "session.json";

    /** The session saved for this API, if any. */
    public static Optional<SessionFile> load(Path home, String api) {
        Path f = home.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(f.toFile());
            SessionFile s = new SessionFile(n.path("api").asText(), n.path("email").asText(), n.path("accountId").asText(),
                    n.path("token").asText());
            return s.api().equals(api) && !s.token().isEmpty() ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "SESSION_UNREADABLE", "cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public void save(Path home) {
        try {
            Files.createDirectories(home);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("api", api);
            n.put("email", email);
            n.put("accountId", accountId);
            n.put("token", token);
            Path tmp = home.resolve(FILE + ".tmp");
            Files.writeString(tmp, Json.pretty(n) + "\n");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, home.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "SESSION_UNWRITABLE", "cannot write the session to " + home + ": " + e.getMessage(), e);
        }
    }

    public static void delete(Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "SESSION_UNWRITABLE", "cannot delete " + home.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SessionFile[api=" + api + ", email=" + email + ", accountId=" + accountId + ", token=***]";
    }
}
