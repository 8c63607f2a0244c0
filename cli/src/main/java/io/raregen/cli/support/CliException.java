package io.raregen.cli.support;

/** A failure the CLI reports as one line with a stable code and exits with {@link #exitCode()}. */
public final class CliException extends RuntimeException {
    private final int exitCode;
    private final String code;

    public CliException(int exitCode, String code, String message) {
        super(message);
        this.exitCode = exitCode;
        this.code = code;
    }

    public CliException(int exitCode, String code, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.code = code;
    }

    public int exitCode() {
        return exitCode;
    }

    public String code() {
        return code;
    }
}
