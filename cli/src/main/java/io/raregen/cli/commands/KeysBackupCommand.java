package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.backup.ShareSealer;
import io.raregen.cli.backup.ShareTexts;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.keys.PassphraseCipher;
import io.raregen.cli.keys.Passphrases;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Nonces;
import io.raregen.core.backup.BackupShare;
import io.raregen.core.backup.EncryptedShare;
import io.raregen.core.backup.KeyBackup;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code raregen keys backup}: splits the identity key into shares (Shamir, 3 of 5 by default), keeps one with the
 * service sealed under the passphrase, and hands the others to the user. Only the identity key is split: it is the
 * one the service knows and records are signed with; the financial and tokens keys hold nothing here.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Split your identity key into shares, any THRESHOLD of which rebuild it (default 3 of 5).",
                "One share is stored with the service, encrypted under your passphrase (skip with --no-store);",
                "write down or print the others and keep each in a different place. No single place can rebuild the key."})
final class KeysBackupCommand extends BaseCommand {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Mixin
    KeysCommand.HomeOption home = new KeysCommand.HomeOption();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--threshold", paramLabel = "N", defaultValue = "" + KeyBackup.DEFAULT_THRESHOLD,
            description = "Shares needed to recover (default: ${DEFAULT-VALUE}).")
    int threshold;

    @Option(names = "--shares", paramLabel = "N", defaultValue = "" + KeyBackup.DEFAULT_TOTAL,
            description = "Shares to make (default: ${DEFAULT-VALUE}).")
    int total;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write your shares to DIR/share-<n>.txt (one file each).")
    Path out;

    @Option(names = "--no-store", description = "Keep every share yourself: store none with the service.")
    boolean noStore;

    @Option(names = "--force", description = "Overwrite share files already in --out.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON (it contains the shares).")
    boolean json;

    @Option(names = "--kdf-iterations", hidden = true, defaultValue = "" + PassphraseCipher.DEFAULT_ITERATIONS)
    int iterations;

    @Override
    public Integer call() {
        boolean store = !noStore;
        if (threshold < 2 || threshold > total || total > 255) {
            throw new CliException(ExitCodes.USAGE, "BAD_SPLIT", "need 2 <= --threshold <= --shares <= 255");
        }
        if (store && total - 1 < threshold) {
            throw new CliException(ExitCodes.USAGE, "BAD_SPLIT", "with a share stored by the service you must keep at least "
                    + threshold + " yourself: use --shares " + (threshold + 1) + " or more, or --no-store");
        }
        KeyFile file = Keys.load(env().home(home.home));
        char[] pass = Passphrases.forUnlock(env());
        try {
            KeyPair identity = Keys.unlock(file, pass).identity();
            String pubkey = identity.publicKey().hex();
            List<BackupShare> shares = KeyBackup.split(identity, threshold, total, RANDOM);
            List<BackupShare> yours = store ? shares.subList(0, total - 1) : shares;
            List<Path> files = out == null ? List.of() : plannedFiles(yours);

            ApiClient client = null;
            String storedAt = null;
            if (store) {
                client = api.client(env());
                EncryptedShare sealed = ShareSealer.seal(shares.get(total - 1).encode(), pass, pubkey, iterations);
                try {
                    storedAt = client.storeBackupShare(EnvelopeSigner.sign(Payloads.backupShare(identity.publicKey(),
                            sealed.toJson(), Nonces.next(), env().clock().instant()), identity)).body().path("storedAt").asText();
                } catch (ApiException e) {
                    String hint = "IDENTITY_UNKNOWN".equals(e.code()) ? " (register the key first: raregen register; or use --no-store)" : "";
                    throw new CliException(ExitCodes.API, e.code(), e.getMessage() + hint, e);
                }
            }
            writeFiles(yours, files, pubkey, store);
            print(shares, yours, files, pubkey, client, storedAt);
            return ExitCodes.OK;
        } finally {
            Arrays.fill(pass, ' ');
        }
    }

    private List<Path> plannedFiles(List<BackupShare> yours) {
        List<Path> files = new ArrayList<>();
        for (BackupShare s : yours) {
            Path f = out.resolve("share-" + s.index() + ".txt");
            if (Files.exists(f) && !force) {
                throw new CliException(ExitCodes.INPUT, "SHARE_FILE_EXISTS", f + " already exists (use --force to overwrite)");
            }
            files.add(f);
        }
        return files;
    }

    private void writeFiles(List<BackupShare> yours, List<Path> files, String pubkey, boolean stored) {
        try {
            if (!files.isEmpty()) {
                Files.createDirectories(out);
            }
            for (int i = 0; i < files.size(); i++) {
                BackupShare s = yours.get(i);
                Files.writeString(files.get(i), ShareTexts.fileText(s.encode(), s.index(), s.threshold(), s.total(), pubkey, stored),
                        StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(files.get(i), PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "SHARE_FILE_WRITE", "cannot write the share files: " + e.getMessage(), e);
        }
    }

    private void print(List<BackupShare> shares, List<BackupShare> yours, List<Path> files, String pubkey,
                       ApiClient client, String storedAt) {
        BackupShare first = shares.get(0);
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("pubkey", pubkey);
            n.put("backupId", first.splitIdHex());
            n.put("fingerprint", first.fingerprintHex());
            n.put("threshold", threshold);
            n.put("total", total);
            ArrayNode arr = n.putArray("shares");
            for (int i = 0; i < yours.size(); i++) {
                ObjectNode s = arr.addObject().put("index", yours.get(i).index()).put("text", yours.get(i).encode());
                if (!files.isEmpty()) {
                    s.put("file", files.get(i).toString());
                }
            }
            if (client != null) {
                n.putObject("stored").put("index", total).put("api", client.base().toString()).put("storedAt", storedAt);
            } else {
                n.putNull("stored");
            }
            printJson(n);
            return;
        }
        out().println("Identity key " + pubkey + " split into " + total + " shares; any " + threshold
                + " rebuild it (backup " + first.splitIdHex() + ").");
        if (client != null) {
            out().println("Share " + total + " is stored with " + client.base() + ", encrypted under your passphrase.");
        }
        out().println("Write down or print these " + yours.size() + " shares and keep each in a different place:");
        out().println();
        for (BackupShare s : yours) {
            out().printf("  share %d of %d   %s%n", s.index(), s.total(), s.encode());
        }
        out().println();
        if (!files.isEmpty()) {
            out().println("Wrote " + files.size() + " files to " + out + " (share-<n>.txt).");
        }
        String given = "SHARE ".repeat(client != null ? threshold - 1 : threshold).strip();
        out().println("Recover with: raregen keys recover " + given + (client != null ? " --from-service --pubkey " + pubkey : ""));
    }
}
