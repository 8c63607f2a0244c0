package io.raregen.broadcaster.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.raregen.core.http.RequestCharset;

/**
 * As on the API: a body in any charset but UTF-8 is {@code 415 CHARSET_UNSUPPORTED} before anything reads it (the
 * framework's text readers would throw on the name and answer 500); controllers read bytes and decode UTF-8.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CharsetFilter implements Ordered {

    private final ProblemHandler problems;

    public CharsetFilter(ProblemHandler problems) {
        this.problems = problems;
    }

    /** Null lets the request through. */
    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> checkCharset(HttpRequest<?> request) {
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (RequestCharset.of(contentType) != RequestCharset.Verdict.UNSUPPORTED) {
            return null;
        }
        return problems.handle(request, new ProblemException("CHARSET_UNSUPPORTED", 415,
                "Content-Type charset must be UTF-8; got: " + contentType));
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
