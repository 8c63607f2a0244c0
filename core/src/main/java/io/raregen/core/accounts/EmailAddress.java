package io.raregen.core.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An account's email address, normalised: trimmed and lower-case. Accepted are the addresses people type: a local
 * part of letters, digits and {@code .!#$%&'*+/=?^_`{|}~-} (no leading, trailing or doubled dot), an {@code @}, and a
 * domain of at least two dot-separated labels of letters, digits and inner hyphens. No quoted local parts, comments,
 * IP literals, display names or whitespace of any kind, so nothing in an address can inject a mail header.
 */
public record EmailAddress(String value) {

    /** RFC 5321's limit on a forward path. */
    public static final int MAX_LENGTH = 254;

    private static final Pattern SHAPE = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public EmailAddress {
        if (value == null || value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()
                || value.indexOf('@') > 64) {
            throw new IllegalArgumentException("not an email address this service accepts");
        }
    }

    /** Trims ASCII spaces and lower-cases, then checks; throws IllegalArgumentException when it is not an address. */
    public static EmailAddress parse(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("email is required");
        }
        return new EmailAddress(raw.strip().toLowerCase(Locale.ROOT));
    }

    /** The domain part, e.g. for logs that must not carry whole addresses. */
    public String domain() {
        return value.substring(value.indexOf('@') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
