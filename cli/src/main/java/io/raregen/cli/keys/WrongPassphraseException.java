package io.raregen.cli.keys;

/** The passphrase does not open the key file (or the file was altered). */
public final class WrongPassphraseException extends Exception {
    public WrongPassphraseException() {
        super("wrong passphrase (or the key file was altered)");
    }
}
