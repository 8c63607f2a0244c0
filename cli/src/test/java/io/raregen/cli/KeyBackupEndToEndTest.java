package io.raregen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.LocalStackProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's "done when", on {@code ./raregen local} driven by the CLI: create a key, register, publish; split it
 * (one share stored with the service, sealed under the passphrase); delete the key file; recover from two written
 * shares and the service's share under a new passphrase; publish again as the same identity.
 */
class KeyBackupEndToEndTest {
    static final String OLD_PASSPHRASE = "end to end passphrase";
    static final String NEW_PASSPHRASE = "a new passphrase after the loss";

    @Test
    void aLostKeyFileIsRecoveredFromThreeSharesOneStoredWithTheService_andPublishesAgainAsTheSameIdentity(@TempDir Path tmp)
            throws Exception {
        LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Options.defaults(tmp.resolve("state"), "key-backup-e2e.log"));
        try {
            Path home = tmp.resolve("home");
            InProcessCli cli = new InProcessCli(home, stack.apiUrl());
            ApiClient api = new ApiClient(stack.apiUrl(), null, Duration.ofSeconds(10));

            // GIVEN a registered key that has published
            String identity = Json.MAPPER.readTree(cli.ok("keys", "new", "--kdf-iterations", "1000", "--json")).path("identity").asText();
            cli.ok("register");
            Path record = tmp.resolve("record.json");
            Files.writeString(record, "{\"title\":\"before the loss\"}");
            assertEquals(identity, publishedBy(cli, api, record));

            // WHEN it is backed up: four shares to files, the fifth stored with the service
            Path shares = tmp.resolve("shares");
            JsonNode backup = Json.MAPPER.readTree(cli.ok("keys", "backup", "--out", shares.toString(), "--kdf-iterations", "100000", "--json"));
            assertEquals(4, backup.path("shares").size());
            assertEquals(5, backup.path("stored").path("index").asInt());
            String stored = storedShare(stack, identity);
            assertTrue(stored.contains("\"format\":\"raregen-backup-share/1\""), stored);
            for (JsonNode s : backup.path("shares")) {
                // the service holds ciphertext only: not even the share's readable header (version + backup id)
                assertFalse(stored.contains(s.path("text").asText().substring(0, 11)), stored);
            }

            // AND the key file is lost
            Files.delete(KeyFile.pathIn(home));

            // THEN the stored share does not open with a wrong passphrase, and nothing is written
            cli.env("RAREGEN_SHARE_PASSPHRASE", "not the passphrase");
            InProcessCli.Result wrong = cli.run("keys", "recover", "--from-service", "--pubkey", identity, "--kdf-iterations", "1000",
                    "--share-file", shares.resolve("share-2.txt").toString(), "--share-file", shares.resolve("share-4.txt").toString());
            assertEquals(ExitCodes.KEYS, wrong.code(), wrong.err());
            assertTrue(wrong.err().contains("WRONG_PASSPHRASE"), wrong.err());
            assertFalse(Files.exists(KeyFile.pathIn(home)));

            // AND two written shares plus the service's share rebuild it under a new passphrase, checked against the API
            cli.env("RAREGEN_SHARE_PASSPHRASE", OLD_PASSPHRASE).env("RAREGEN_PASSPHRASE", NEW_PASSPHRASE);
            JsonNode recovered = Json.MAPPER.readTree(cli.ok("keys", "recover", "--from-service", "--pubkey", identity,
                    "--kdf-iterations", "1000", "--json",
                    "--share-file", shares.resolve("share-2.txt").toString(), "--share-file", shares.resolve("share-4.txt").toString()));
            assertEquals(identity, recovered.path("identity").asText());
            assertEquals("active", recovered.path("registered").asText());
            assertEquals(3, recovered.path("sharesUsed").asInt());

            // AND the recovered key publishes again as the same identity
            Files.writeString(record, "{\"title\":\"after the recovery\"}");
            assertEquals(identity, publishedBy(cli, api, record));

            // AND the old passphrase no longer opens the new key file
            cli.env("RAREGEN_PASSPHRASE", OLD_PASSPHRASE);
            assertEquals(ExitCodes.KEYS, cli.run("publish", record.toString()).code());
        } finally {
            stack.stop();
            stack.close();
        }
    }

    /** Publishes one record, waits until it is sent, and returns the pubkey the service recorded for the job. */
    private static String publishedBy(InProcessCli cli, ApiClient api, Path record) throws Exception {
        JsonNode published = Json.MAPPER.readTree(cli.ok("publish", "--wait", "--wait-timeout", "120", "--json", record.toString()));
        JsonNode job = published.isArray() ? published.get(0) : published;
        assertTrue(java.util.List.of("sent", "mined").contains(job.path("status").asText()), published.toString());
        return api.job(job.path("jobId").asText()).path("pubkey").asText();
    }

    private static String storedShare(LocalStackProcess stack, String pubkey) throws Exception {
        try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement("SELECT share FROM backup_shares WHERE pubkey = ?")) {
            ps.setString(1, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no backup share stored for " + pubkey);
                return rs.getString(1);
            }
        }
    }
}
