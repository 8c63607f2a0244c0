package io.raregen.core.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.raregen.core.http.RequestCharset.Verdict.NONE;
import static io.raregen.core.http.RequestCharset.Verdict.UNSUPPORTED;
import static io.raregen.core.http.RequestCharset.Verdict.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestCharsetTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"",
            "application/json; CHARSET=Utf-8", "application/json; charset=csUTF8", "application/json; charset=\"CSUTF8\"",
            "application/json; foo=bar; charset=utf-8", "application/json; charset=\"utf\\-8\""})
    void utf8InAnyRegisteredSpelling_isUtf8(String contentType) {
        assertEquals(UTF_8, RequestCharset.of(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=klingon", "application/json; charset=", "application/json; charset=\"\"",
            "application/json; charset", "application/json; charset=\"utf-8", "application/json; charset=utf8",
            "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; charset=utf-8; charset=utf-8",
            "application/json; charset=\"utf-8\"x\"", "application/json; charset=utf\"-8"})
    void anythingElse_isUnsupported(String contentType) {
        assertEquals(UNSUPPORTED, RequestCharset.of(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; foo=bar", "text/plain"})
    void noCharsetParameter_isNone(String contentType) {
        assertEquals(NONE, RequestCharset.of(contentType));
    }
}
