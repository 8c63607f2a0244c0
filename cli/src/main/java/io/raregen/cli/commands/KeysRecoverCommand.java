package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.backup.ShareSealer;
import io.raregen.cli.backup.ShareTexts;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.keys.Passphrases;
import io.raregen.cli.keys.WalletKeys;
import io.raregen.cli.keys.WrongPassphraseException;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.core.backup.BackupShare;
import io.raregen.core.backup.EncryptedShare;
import io.raregen.core.backup.KeyBackup;
import io.raregen.core.backup.ShareError;
import io.raregen.core.backup.ShareException;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code raregen keys recover}: rebuilds the identity key from shares, proves it (the shares' fingerprint, the
 * {@code --pubkey} given, and the identity registered with the API) and only then writes a new key file under a
 * new passphrase. Never overwrites a key file without {@code --force}.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Rebuild your identity key from backup shares and write a new key file under a new passphrase.",
                "Shares come from arguments, --share-file, standard input ('-') and, with --from-service, the share",
                "stored with the service (opened with $RAREGEN_SHARE_PASSPHRASE, else $RAREGEN_PASSPHRASE, else asked)."})
final class KeysRecoverCommand extends BaseCommand {

    @Mixin
    KeysCommand.NewKeyFileOptions target = new KeysCommand.NewKeyFileOptions();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(paramLabel = "SHARE", arity = "0..*", description = "A share as written down (spaces, hyphens and case do not matter); '-' reads shares from standard input, one per line.")
    List<String> shareArgs = new ArrayList<>();

    @Option(names = "--share-file", paramLabel = "FILE", description = "A file written by `keys backup --out` (repeatable).")
    List<Path> shareFiles = new ArrayList<>();

    @Option(names = "--from-service", description = "Also use the share stored with the service (needs --pubkey).")
    boolean fromService;

    @Option(names = "--pubkey", paramLabel = "HEX", description = "The identity public key you expect back (required with --from-service).")
    String pubkey;

    @Option(names = "--offline", description = "Do not ask the API whether the rebuilt key is a registered identity.")
    boolean offline;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Path dir = target.directory(env());
        if (fromService && offline) {
            throw new CliException(ExitCodes.USAGE, "BAD_OPTIONS", "--from-service needs the API: drop --offline");
        }
        PublicKey expected = expectedKey();
        List<BackupShare> shares = decode(collectTexts());
        if (expected != null && !shares.isEmpty()
                && !Arrays.equals(KeyBackup.fingerprint(expected), shares.get(0).fingerprint())) {
            throw shareFailure(new ShareException(ShareError.KEY_MISMATCH, "the shares belong to key fingerprint "
                    + shares.get(0).fingerprintHex() + ", not to " + expected.hex() + " (fingerprint "
                    + java.util.HexFormat.of().formatHex(KeyBackup.fingerprint(expected)) + ")"));
        }
        ApiClient client = offline ? null : api.client(env());
        if (fromService) {
            shares.add(storedShare(client, expected));
        }
        KeyPair identity;
        try {
            identity = KeyBackup.recover(shares);
        } catch (ShareException e) {
            throw shareFailure(e);
        }
        if (expected != null && !identity.publicKey().equals(expected)) {
            throw shareFailure(new ShareException(ShareError.KEY_MISMATCH,
                    "the shares rebuild " + identity.publicKey().hex() + ", not " + expected.hex()));
        }
        String status = client == null ? null : registeredStatus(client, identity);

        char[] pass = Passphrases.forNewKeys(env());
        KeyFile file;
        try {
            // the backup holds the identity key only; the wallet's other two keys start afresh
            file = KeyFile.create(dir, new WalletKeys(identity, KeyPair.generate(), KeyPair.generate()), pass, target.iterations, target.force);
        } catch (IOException e) {
            throw new CliException(ExitCodes.KEYS, "KEYS_WRITE", e.getMessage(), e);
        } finally {
            Arrays.fill(pass, ' ');
        }
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("file", file.path().toString());
            n.put("identity", identity.publicKey().hex());
            n.put("sharesUsed", shares.size());
            n.put("fromService", fromService);
            if (status == null) {
                n.putNull("registered");
            } else {
                n.put("registered", status);
            }
            printJson(n);
        } else {
            out().println("Recovered identity " + identity.publicKey().hex() + " from " + shares.size() + " shares"
                    + (fromService ? " (one stored with the service)" : "") + ".");
            out().println(status == null ? "Checked against the shares' fingerprint (offline)."
                    : "Checked against the shares' fingerprint and the identity registered at " + client.base() + " (" + status + ").");
            out().println("Wrote " + file.path() + " under the new passphrase. New financial and tokens keys were generated"
                    + " (the backup holds the identity key only).");
        }
        return ExitCodes.OK;
    }

    private PublicKey expectedKey() {
        if (pubkey == null) {
            if (fromService) {
                throw new CliException(ExitCodes.USAGE, "BAD_OPTIONS", "--from-service needs --pubkey (your identity public key)");
            }
            return null;
        }
        try {
            return PublicKey.fromHex(pubkey.strip().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "PUBKEY_INVALID", "--pubkey must be 66 hex characters of a compressed public key");
        }
    }

    private List<String> collectTexts() {
        List<String> texts = new ArrayList<>();
        try {
            for (String a : shareArgs) {
                if ("-".equals(a)) {
                    texts.addAll(ShareTexts.fromStream(env().in()));
                } else {
                    texts.add(a);
                }
            }
            for (Path f : shareFiles) {
                texts.add(ShareTexts.fromFile(f));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "SHARE_UNREADABLE", e.getMessage(), e);
        }
        return texts;
    }

    private List<BackupShare> decode(List<String> texts) {
        try {
            return new ArrayList<>(KeyBackup.decodeAll(texts));
        } catch (ShareException e) {
            throw shareFailure(e);
        }
    }

    private BackupShare storedShare(ApiClient client, PublicKey key) {
        JsonNode body;
        try {
            body = client.backupShare(key.hex());
        } catch (ApiException e) {
            throw apiFailure(e);
        }
        EncryptedShare sealed;
        try {
            sealed = EncryptedShare.fromJson(body.path("share"));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.API, "BACKUP_SHARE_INVALID", "the service returned a malformed share: " + e.getMessage(), e);
        }
        char[] pass = Passphrases.forStoredShare(env());
        try {
            return BackupShare.decode(ShareSealer.open(sealed, pass, key.hex()));
        } catch (WrongPassphraseException e) {
            throw new CliException(ExitCodes.KEYS, "WRONG_PASSPHRASE", "the passphrase does not open the share stored for "
                    + key.hex() + " (set " + Passphrases.SHARE_ENV + " to the passphrase the key file had at backup time)", e);
        } catch (ShareException e) {
            throw new CliException(ExitCodes.INPUT, e.error().name(), "the stored share: " + e.getMessage(), e);
        } finally {
            Arrays.fill(pass, ' ');
        }
    }

    /** The identity's status at the API; a key the API does not know is refused (use --offline to write it anyway). */
    private static String registeredStatus(ApiClient client, KeyPair identity) {
        try {
            return client.identity(identity.publicKey().hex()).path("status").asText();
        } catch (ApiException e) {
            if ("IDENTITY_NOT_FOUND".equals(e.code())) {
                throw new CliException(ExitCodes.FAILED, "IDENTITY_NOT_FOUND", "the shares rebuild " + identity.publicKey().hex()
                        + ", which is not registered at " + client.base() + "; nothing written (use --offline to write it anyway)", e);
            }
            throw apiFailure(e);
        }
    }

    private static CliException shareFailure(ShareException e) {
        return new CliException(ExitCodes.INPUT, e.error().name(), e.getMessage(), e);
    }
}
