package io.raregen.core.json;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonTest {
    @Test
    void canonicalize_sortsKeysByUtf16AndDropsWhitespace() throws Exception {
        // RFC 8785 section 3.2.3 sorts by UTF-16 code units: "\u20ac" (euro) before "\ud83d\ude00" (emoji) and after "a"
        assertEquals("{\"a\":1,\"b\":[true,null],\"\u20ac\":2,\"\uD83D\uDE00\":3}",
                CanonicalJson.canonicalize("{ \"\uD83D\uDE00\":3, \"b\" : [ true , null ], \"\u20ac\":2, \"a\":1 }"));
    }

    @Test
    void canonicalize_formatsNumbersAsEcmaScriptDoes() throws Exception {
        // ES6 Number.prototype.toString: -0 prints as 0
        assertEquals("[1e+30,4.5,0.002,1e-7,0,100]", CanonicalJson.canonicalize("[1E30, 4.50, 2e-3, 0.0000001, -0, 1.0e2]"));
    }

    @Test
    void canonicalize_escapesOnlyWhatRfc8785Requires() throws Exception {
        assertEquals("[\"\\u000f\\n\\\"\u00e9/\"]", CanonicalJson.canonicalize("[\"\\u000F\\n\\\"\\u00e9\\/\"]"));
    }

    @Test
    void isCanonical_trueOnlyForTheExactCanonicalBytes() {
        assertTrue(CanonicalJson.isCanonical("{\"a\":1}"));
        assertFalse(CanonicalJson.isCanonical("{\"a\": 1}"));
        assertFalse(CanonicalJson.isCanonical("{\"b\":1,\"a\":2}"));
        assertFalse(CanonicalJson.isCanonical("not json"));
        assertFalse(CanonicalJson.isCanonical(null));
    }

    @Test
    void canonicalize_rejectsMalformedAndHostileInputWithACheckedException() {
        for (String bad : new String[]{"", "{", "{\"a\":1,\"a\":2}", "[1,]", "\"\\ud800", "{\"a\"}",
                "[".repeat(100_000) + "]".repeat(100_000), "01", "NaN"}) {
            assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(bad), bad.length() > 40 ? "deep" : bad);
        }
    }
}
