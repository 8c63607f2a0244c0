package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.raregen.core.http.RequestCharset;

/**
 * Decides the request charset before any body is read: anything but UTF-8 (an unknown, empty, malformed or other
 * charset name) is {@code 415 CHARSET_UNSUPPORTED}. The framework's text readers would hand the name to
 * {@code Charset.forName}, which throws, and made every POST a 500; controllers take their bodies as bytes and decode
 * them as UTF-8 ({@link RequestBodies}), so UTF-8 in any registered spelling is read.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CharsetFilter implements Ordered {

    private final ProblemHandler problems;

    public CharsetFilter(ProblemHandler problems) {
        this.problems = problems;
    }

    /** Null lets the request through; a problem response ends it. */
    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> checkCharset(HttpRequest<?> request) {
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (RequestCharset.of(contentType) != RequestCharset.Verdict.UNSUPPORTED) {
            return null;
        }
        return problems.handle(request, new ApiException(ErrorCode.CHARSET_UNSUPPORTED,
                "Content-Type charset must be UTF-8 (utf-8 or csUTF8, any case, quoted or not); got: " + contentType));
    }

    @Override
    public int getOrder() {
        // before every other filter: none of them may read a body in an unreadable charset
        return HIGHEST_PRECEDENCE;
    }
}
