package io.raregen.cli.keys;

import io.raregen.cli.support.CliEnvironment;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;

import java.io.Console;
import java.util.Arrays;

/** The passphrase comes from RAREGEN_PASSPHRASE (scripts) or is asked for on the terminal. */
public final class Passphrases {
    public static final String ENV = "RAREGEN_PASSPHRASE";
    /** The passphrase of the backup share stored with the service, when it differs from the new key file's. */
    public static final String SHARE_ENV = "RAREGEN_SHARE_PASSPHRASE";
    static final int MIN_LENGTH = 8;

    private Passphrases() {
    }

    /** Reads the passphrase for opening an existing key file. */
    public static char[] forUnlock(CliEnvironment env) {
        String fromEnv = env.env(ENV);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        Console c = terminal(env);
        char[] p = c.readPassword("Passphrase: ");
        if (p == null) {
            throw new CliException(ExitCodes.KEYS, "NO_PASSPHRASE", "no passphrase given");
        }
        return p;
    }

    /** Opens the backup share stored with the service: its own variable, else the key file's, else the terminal. */
    public static char[] forStoredShare(CliEnvironment env) {
        String fromEnv = env.env(SHARE_ENV) != null ? env.env(SHARE_ENV) : env.env(ENV);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        char[] p = terminal(env).readPassword("Passphrase of the share stored with the service (the key file's passphrase at backup time): ");
        if (p == null) {
            throw new CliException(ExitCodes.KEYS, "NO_PASSPHRASE", "no passphrase given");
        }
        return p;
    }

    /** Reads a new passphrase, twice on a terminal, and checks its length. */
    public static char[] forNewKeys(CliEnvironment env) {
        String fromEnv = env.env(ENV);
        char[] p;
        if (fromEnv != null) {
            p = fromEnv.toCharArray();
        } else {
            Console c = terminal(env);
            p = c.readPassword("New passphrase (at least %d characters): ", MIN_LENGTH);
            char[] again = c.readPassword("Repeat the passphrase: ");
            if (p == null || again == null || !Arrays.equals(p, again)) {
                throw new CliException(ExitCodes.KEYS, "PASSPHRASE_MISMATCH", "the two passphrases differ");
            }
            Arrays.fill(again, ' ');
        }
        if (p.length < MIN_LENGTH) {
            throw new CliException(ExitCodes.KEYS, "PASSPHRASE_TOO_SHORT",
                    "the passphrase needs at least " + MIN_LENGTH + " characters");
        }
        return p;
    }

    private static Console terminal(CliEnvironment env) {
        Console c = env.console().get();
        if (c == null) {
            throw new CliException(ExitCodes.KEYS, "NO_PASSPHRASE",
                    "no terminal to ask for the passphrase: set " + ENV);
        }
        return c;
    }
}
