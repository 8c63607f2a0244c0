package io.raregen.core.http;

import java.util.Locale;

/**
 * Which request bodies are text the service can read: the {@code charset} parameter of a {@code Content-Type}, if
 * any, must name UTF-8. RFC 8259 JSON exchanged between systems is UTF-8, so UTF-8 is the only charset accepted,
 * in any of its registered spellings ({@code UTF-8}, alias {@code csUTF8}; any case, quoted or not).
 */
public final class RequestCharset {

    private RequestCharset() {
    }

    /** What a Content-Type says about the body's charset. */
    public enum Verdict {
        /** No charset parameter (the body is read as UTF-8). */
        NONE,
        /** A charset parameter naming UTF-8. */
        UTF_8,
        /** A charset parameter that is empty, malformed, repeated or names another charset. */
        UNSUPPORTED
    }

    public static Verdict of(String contentType) {
        if (contentType == null) {
            return Verdict.NONE;
        }
        Verdict verdict = Verdict.NONE;
        String[] parts = contentType.split(";", -1);
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim();
            if (!name.equalsIgnoreCase("charset")) {
                continue;
            }
            if (verdict != Verdict.NONE || eq < 0) {
                return Verdict.UNSUPPORTED;
            }
            String value = unquote(param.substring(eq + 1).trim());
            if (value == null || !isUtf8(value)) {
                return Verdict.UNSUPPORTED;
            }
            verdict = Verdict.UTF_8;
        }
        return verdict;
    }

    /** The Content-Type without its parameters, e.g. {@code application/json}. */
    public static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static boolean isUtf8(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("utf-8") || n.equals("csutf8");
    }

    /** A token as is, a quoted-string without its quotes and escapes (RFC 9110 §5.6.4); null when malformed. */
    private static String unquote(String v) {
        if (!v.startsWith("\"")) {
            return v.indexOf('"') >= 0 ? null : v;
        }
        if (v.length() < 2 || !v.endsWith("\"")) {
            return null;
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                if (++i >= v.length() - 1) {
                    return null;
                }
                c = v.charAt(i);
            } else if (c == '"') {
                return null;
            }
            out.append(c);
        }
        return out.toString();
    }
}
