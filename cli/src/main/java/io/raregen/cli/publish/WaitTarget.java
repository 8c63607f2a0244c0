package io.raregen.cli.publish;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The status a wait stops at: the value of {@code --until} in {@code status}, {@code publish} and
 * {@code bench}. Options of this type use {@link Converter}, so that picocli rejects anything else
 * with a usage error (exit code 2); shown and typed in lower case ({@code sent}, {@code mined}), as
 * the job statuses are (upper case is accepted too).
 */
public enum WaitTarget {
    SENT,
    MINED;

    /** The job status this target names ({@code sent} or {@code mined}). */
    public String status() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lower case, so picocli's help, defaults and error messages show the values as they are typed. */
    @Override
    public String toString() {
        return status();
    }

    /** The target named {@code value}, ignoring case; {@link IllegalArgumentException} for anything else. */
    public static WaitTarget parse(String value) {
        for (WaitTarget t : values()) {
            if (t.status().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("expected " + Arrays.stream(values()).map(WaitTarget::status)
                .collect(Collectors.joining(" or ")) + " but was '" + value + "'");
    }

    /** picocli converter: a bad value becomes picocli's "Invalid value for option '--until': …" usage error. */
    public static final class Converter implements CommandLine.ITypeConverter<WaitTarget> {
        @Override
        public WaitTarget convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
