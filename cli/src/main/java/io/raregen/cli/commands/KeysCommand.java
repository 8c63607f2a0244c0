package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.keys.PassphraseCipher;
import io.raregen.cli.keys.Passphrases;
import io.raregen.cli.keys.WalletKeys;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Table;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.types.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code raregen keys new|show|export|backup|recover}: the client's three keypairs, encrypted at rest. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, show, export, back up and recover your keypairs (identity, financial, tokens).",
        subcommands = {KeysCommand.New.class, KeysCommand.Show.class, KeysCommand.Export.class,
                KeysBackupCommand.class, KeysRecoverCommand.class})
public final class KeysCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(((io.raregen.cli.RaregenCli) spec.root().userObject()).environment().out());
    }

    /** Options shared by the keys subcommands. */
    static final class HomeOption {
        @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
        Path home;
    }

    /** Options of the commands that write a new key file ({@code keys new}, {@code keys recover}). */
    static final class NewKeyFileOptions {
        @picocli.CommandLine.Mixin
        HomeOption home = new HomeOption();

        @Option(names = "--force", description = "Replace an existing key file (its keys are lost).")
        boolean force;

        @Option(names = "--kdf-iterations", hidden = true, defaultValue = "" + PassphraseCipher.DEFAULT_ITERATIONS)
        int iterations;

        /** The key directory; refuses one that already holds a key file unless {@code --force}. */
        Path directory(io.raregen.cli.support.CliEnvironment env) {
            Path dir = env.home(home.home);
            if (KeyFile.existsIn(dir) && !force) {
                throw new CliException(ExitCodes.KEYS, "KEYS_EXIST",
                        "a key file already exists at " + KeyFile.pathIn(dir) + " (use --force to replace it, or --home DIR)");
            }
            return dir;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Generate the three keypairs and store them encrypted with a passphrase "
                    + "(asked on the terminal, or $RAREGEN_PASSPHRASE).")
    static final class New extends BaseCommand {
        @picocli.CommandLine.Mixin
        NewKeyFileOptions target = new NewKeyFileOptions();

        @Option(names = "--json", description = "Print the public keys as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Path dir = target.directory(env());
            char[] pass = Passphrases.forNewKeys(env());
            KeyFile file;
            try {
                file = KeyFile.create(dir, WalletKeys.generate(), pass, target.iterations, target.force);
            } catch (IOException e) {
                throw new CliException(ExitCodes.KEYS, "KEYS_WRITE", e.getMessage(), e);
            } finally {
                Arrays.fill(pass, ' ');
            }
            if (json) {
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("file", file.path().toString());
                file.publicKeys().forEach(n::put);
                printJson(n);
            } else {
                out().println("Created " + file.path() + " (encrypted: PBKDF2-HMAC-SHA256 + AES-256-GCM)");
                file.publicKeys().forEach((role, hex) -> out().printf("  %-9s %s%n", role, hex));
                out().println("Next: raregen register");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the public keys and addresses (no passphrase needed).")
    static final class Show extends BaseCommand {
        @picocli.CommandLine.Mixin
        HomeOption home = new HomeOption();

        @Option(names = "--network", defaultValue = "MAIN", description = "Network for addresses: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Network network;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            KeyFile file = Keys.load(env().home(home.home));
            Map<String, String> pubs = file.publicKeys();
            if (json) {
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("file", file.path().toString());
                n.put("createdAt", file.createdAt());
                ObjectNode keys = n.putObject("keys");
                pubs.forEach((role, hex) -> keys.putObject(role).put("pubkey", hex).put("address", address(hex, network)));
                printJson(n);
            } else {
                out().println("Keys in " + file.path() + " (created " + file.createdAt() + ")");
                Table t = new Table("ROLE", "PUBLIC KEY", "ADDRESS (" + network.name().toLowerCase() + ")");
                pubs.forEach((role, hex) -> t.row(role, hex, address(hex, network)));
                t.print(out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Print the private keys as WIF (needs the passphrase). Anyone with this output controls your keys.")
    static final class Export extends BaseCommand {
        @picocli.CommandLine.Mixin
        HomeOption home = new HomeOption();

        @Option(names = "--network", defaultValue = "MAIN", description = "WIF network prefix: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Network network;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            WalletKeys keys = Keys.unlock(env(), env().home(home.home));
            Map<String, KeyPair> byRole = new LinkedHashMap<>();
            byRole.put("identity", keys.identity());
            byRole.put("financial", keys.financial());
            byRole.put("tokens", keys.tokens());
            err().println("warning: the output below contains private keys");
            if (json) {
                ObjectNode n = Json.MAPPER.createObjectNode();
                byRole.forEach((role, k) -> n.putObject(role).put("pubkey", k.publicKey().hex()).put("wif", k.toWif(network))
                        .put("address", k.address(network)));
                printJson(n);
            } else {
                Table t = new Table("ROLE", "PUBLIC KEY", "WIF (" + network.name().toLowerCase() + ")");
                byRole.forEach((role, k) -> t.row(role, k.publicKey().hex(), k.toWif(network)));
                t.print(out());
            }
            return ExitCodes.OK;
        }
    }

    static String address(String pubkeyHex, Network network) {
        return io.raregen.core.keys.P2pkh.addressOf(io.raregen.core.keys.P2pkh.lockingScript(PublicKey.fromHex(pubkeyHex)), network);
    }
}
