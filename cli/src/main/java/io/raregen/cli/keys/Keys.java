package io.raregen.cli.keys;

import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Opens the client's key file for a command, turning every failure into one clear CLI error. */
public final class Keys {
    private Keys() {
    }

    public static KeyFile load(Path home) {
        try {
            return KeyFile.load(home);
        } catch (IOException e) {
            throw new CliException(ExitCodes.KEYS, "NO_KEYS", e.getMessage(), e);
        }
    }

    public static WalletKeys unlock(CliEnvironment env, Path home) {
        KeyFile file = load(home);
        char[] pass = Passphrases.forUnlock(env);
        try {
            return unlock(file, pass);
        } finally {
            Arrays.fill(pass, ' ');
        }
    }

    /** Opens the key file with a passphrase the caller holds (and clears). */
    public static WalletKeys unlock(KeyFile file, char[] pass) {
        try {
            return file.unlock(pass);
        } catch (WrongPassphraseException e) {
            throw new CliException(ExitCodes.KEYS, "WRONG_PASSPHRASE", e.getMessage() + ": " + file.path(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.KEYS, "KEYS_UNREADABLE", e.getMessage(), e);
        }
    }
}
