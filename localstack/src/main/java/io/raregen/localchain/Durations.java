package io.raregen.localchain;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses the durations of the command lines of the local chain and of {@code ./raregen local}:
 * {@code 5s}, {@code 0.5s}, {@code 500ms}, {@code 10m}, {@code 1h}, or a bare number of seconds
 * ({@code 5}, {@code 0.5}).
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses the value of a command-line flag; errors name the flag.
     *
     * @throws IllegalArgumentException when {@code value} is not one of the accepted forms, or negative
     */
    public static Duration parse(String flag, String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException when {@code value} is not one of the accepted forms, or negative
     */
    public static Duration parse(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = seconds(s.substring(0, s.length() - 1));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = seconds(s);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + value + "' (use e.g. 5s, 500ms, 10m, 1h, or seconds)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: '" + value + "'");
        }
        return d;
    }

    private static Duration seconds(String number) {
        double v = Double.parseDouble(number);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new NumberFormatException(number);
        }
        return Duration.ofMillis((long) (v * 1000));
    }
}
