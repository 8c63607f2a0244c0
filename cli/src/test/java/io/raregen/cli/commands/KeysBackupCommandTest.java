package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code keys backup --no-store} and {@code keys recover --offline}: no service involved, every misuse refused. */
class KeysBackupCommandTest {
    // nothing listens there: a command that tried the API would fail with API_UNREACHABLE
    static final String NO_API = "http://127.0.0.1:9";

    @Test
    void backupToFiles_thenRecoverFromAnyThree_givesTheSameIdentityUnderANewPassphrase(@TempDir Path tmp) throws Exception {
        InProcessCli cli = new InProcessCli(tmp.resolve("home"), NO_API);
        String identity = Json.MAPPER.readTree(cli.ok("keys", "new", "--kdf-iterations", "1000", "--json")).path("identity").asText();
        Path shares = tmp.resolve("shares");
        JsonNode backup = Json.MAPPER.readTree(cli.ok("keys", "backup", "--no-store", "--out", shares.toString(), "--json"));
        assertEquals(identity, backup.path("pubkey").asText());
        assertEquals(5, backup.path("shares").size());
        assertTrue(backup.path("stored").isNull());
        String file3 = Files.readString(shares.resolve("share-3.txt"));
        assertTrue(file3.contains(identity) && file3.contains(backup.path("shares").get(2).path("text").asText()), file3);

        // a person's text output names every share once
        String text = cli.ok("keys", "backup", "--no-store");
        assertTrue(text.contains("share 5 of 5") && text.contains("Recover with: raregen keys recover SHARE SHARE SHARE"), text);

        Files.delete(KeyFile.pathIn(tmp.resolve("home")));
        cli.env("RAREGEN_PASSPHRASE", "a brand new passphrase");
        JsonNode recovered = Json.MAPPER.readTree(cli.ok("keys", "recover", "--offline", "--kdf-iterations", "1000", "--json",
                "--share-file", shares.resolve("share-5.txt").toString(),
                backup.path("shares").get(1).path("text").asText().toLowerCase().replace('-', ' '),
                "--share-file", shares.resolve("share-4.txt").toString()));
        assertEquals(identity, recovered.path("identity").asText());
        assertTrue(recovered.path("registered").isNull(), "offline: no API asked");
        assertEquals(identity, Json.MAPPER.readTree(cli.ok("keys", "show", "--json")).at("/keys/identity/pubkey").asText());
        cli.ok("keys", "export"); // opens under the new passphrase
        cli.env("RAREGEN_PASSPHRASE", "end to end passphrase");
        assertEquals(ExitCodes.KEYS, cli.run("keys", "export").code(), "the old passphrase no longer opens it");
    }

    @Test
    void sharesFromStandardInputWork(@TempDir Path tmp) throws Exception {
        InProcessCli cli = new InProcessCli(tmp.resolve("home"), NO_API);
        String identity = Json.MAPPER.readTree(cli.ok("keys", "new", "--kdf-iterations", "1000", "--json")).path("identity").asText();
        List<String> texts = texts(Json.MAPPER.readTree(cli.ok("keys", "backup", "--no-store", "--json")));
        InProcessCli.Result r = cli.runWithInput("# my shares\n" + texts.get(0) + "\n\n" + texts.get(2) + "\n" + texts.get(4) + "\n",
                "keys", "recover", "--offline", "--force", "--kdf-iterations", "1000", "--json", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(identity, Json.MAPPER.readTree(r.out()).path("identity").asText());
    }

    @Test
    void everyMisuseIsASpecificErrorAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        InProcessCli cli = new InProcessCli(home, NO_API);
        cli.ok("keys", "new", "--kdf-iterations", "1000");
        List<String> a = texts(Json.MAPPER.readTree(cli.ok("keys", "backup", "--no-store", "--json")));
        List<String> b = texts(Json.MAPPER.readTree(cli.ok("keys", "backup", "--no-store", "--json")));
        List<String> twoOfThree = texts(Json.MAPPER.readTree(cli.ok("keys", "backup", "--no-store", "--threshold", "2", "--shares", "3", "--json")));
        InProcessCli other = new InProcessCli(tmp.resolve("other"), NO_API);
        String otherIdentity = Json.MAPPER.readTree(other.ok("keys", "new", "--kdf-iterations", "1000", "--json")).path("identity").asText();
        List<String> otherKey = texts(Json.MAPPER.readTree(other.ok("keys", "backup", "--no-store", "--json")));

        byte[] keyFile = Files.readAllBytes(KeyFile.pathIn(home));
        expect(cli, ExitCodes.KEYS, "KEYS_EXIST", a.get(0), a.get(1), a.get(2));
        assertTrue(java.util.Arrays.equals(keyFile, Files.readAllBytes(KeyFile.pathIn(home))), "the key file is untouched");

        Files.delete(KeyFile.pathIn(home));
        String flipped = a.get(2).substring(0, 7) + (a.get(2).charAt(7) == 'Z' ? 'Y' : 'Z') + a.get(2).substring(8);
        expect(cli, ExitCodes.INPUT, "SHARE_DUPLICATE", a.get(0), a.get(1), a.get(0));
        expect(cli, ExitCodes.INPUT, "SHARE_MIXED_SPLITS", a.get(0), a.get(1), b.get(2));
        expect(cli, ExitCodes.INPUT, "SHARE_MIXED_SPLITS", a.get(0), a.get(1), otherKey.get(2));
        expect(cli, ExitCodes.INPUT, "SHARE_THRESHOLD_MISMATCH", a.get(0), a.get(1), twoOfThree.get(2));
        expect(cli, ExitCodes.INPUT, "SHARE_TOO_FEW", a.get(0), a.get(1));
        expect(cli, ExitCodes.INPUT, "SHARE_CHECKSUM", a.get(0), a.get(1), flipped);
        expect(cli, ExitCodes.INPUT, "SHARE_MALFORMED", a.get(0), a.get(1), "not a share");
        expect(cli, ExitCodes.INPUT, "KEY_MISMATCH", "--pubkey", otherIdentity, a.get(0), a.get(1), a.get(2));
        assertFalse(Files.exists(KeyFile.pathIn(home)), "no key file written by a refused recovery");
    }

    @Test
    void aBackupThatWouldLeaveTheUserShortOfTheThresholdIsRefused(@TempDir Path tmp) {
        InProcessCli cli = new InProcessCli(tmp.resolve("home"), NO_API);
        cli.ok("keys", "new", "--kdf-iterations", "1000");
        InProcessCli.Result r = cli.run("keys", "backup", "--threshold", "3", "--shares", "3");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("BAD_SPLIT"), r.err());
        InProcessCli.Result offline = cli.run("keys", "backup");
        assertEquals(ExitCodes.API, offline.code(), "storing needs the API: " + offline.err());
        assertTrue(offline.out().isEmpty(), "no share printed when the stored one could not be kept: " + offline.out());
    }

    @Test
    void shareFilesAreNotOverwrittenWithoutForce(@TempDir Path tmp) throws Exception {
        InProcessCli cli = new InProcessCli(tmp.resolve("home"), NO_API);
        cli.ok("keys", "new", "--kdf-iterations", "1000");
        Path out = tmp.resolve("out");
        cli.ok("keys", "backup", "--no-store", "--out", out.toString());
        String before = Files.readString(out.resolve("share-1.txt"));
        InProcessCli.Result r = cli.run("keys", "backup", "--no-store", "--out", out.toString());
        assertEquals(ExitCodes.INPUT, r.code());
        assertTrue(r.err().contains("SHARE_FILE_EXISTS"), r.err());
        assertEquals(before, Files.readString(out.resolve("share-1.txt")));
        cli.ok("keys", "backup", "--no-store", "--out", out.toString(), "--force");
        assertNotEquals(before, Files.readString(out.resolve("share-1.txt")));
    }

    private static void expect(InProcessCli cli, int exit, String code, String... shares) {
        List<String> args = new ArrayList<>(List.of("keys", "recover", "--offline", "--kdf-iterations", "1000"));
        args.addAll(List.of(shares));
        InProcessCli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(exit, r.code(), code + ": " + r.err());
        assertTrue(r.err().contains(code), code + ": " + r.err());
    }

    private static List<String> texts(JsonNode backup) {
        List<String> out = new ArrayList<>();
        backup.path("shares").forEach(s -> out.add(s.path("text").asText()));
        return out;
    }
}
