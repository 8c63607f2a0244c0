package io.raregen.cli.support;

/** Process exit codes, stable for scripts (documented in docs/CLI.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check failed: verification FAIL, a job ended failed, a wait timed out. */
    public static final int FAILED = 1;
    /** Bad usage (picocli's own code). */
    public static final int USAGE = 2;
    /** The API answered an error or could not be reached. */
    public static final int API = 3;
    /** Keys missing, unreadable or wrong passphrase. */
    public static final int KEYS = 4;
    /** Local input unreadable (a file, stdin, JSON). */
    public static final int INPUT = 5;

    private ExitCodes() {
    }
}
