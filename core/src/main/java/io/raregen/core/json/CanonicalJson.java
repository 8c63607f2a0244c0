package io.raregen.core.json;

import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 (JSON Canonicalization Scheme) through the erdtman reference implementation. */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * The canonical form of a JSON text.
     *
     * @throws CanonicalJsonException if the text is not JSON (the library's own unchecked errors included)
     */
    public static String canonicalize(String json) throws CanonicalJsonException {
        if (json == null) {
            throw new CanonicalJsonException("JSON text must not be null", null);
        }
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
            // the library reports some malformations as runtime exceptions, and deep nesting recurses
            throw new CanonicalJsonException("not canonicalisable JSON: " + e.getMessage(), e);
        }
    }

    /** True when the text is JSON and already byte-for-byte in canonical form. */
    public static boolean isCanonical(String json) {
        try {
            return canonicalize(json).equals(json);
        } catch (CanonicalJsonException e) {
            return false;
        }
    }
}
