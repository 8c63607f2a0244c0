package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * The Netty host answers every request its HTTP decoder gave up on with a bare 413 and drops the cause; the cause,
 * still on the request, tells a request line over {@code micronaut.server.netty.max-initial-line-length} (414) and
 * headers over {@code max-header-size} (431) from a body over {@code max-request-size} (413). On Lambda the request is
 * not a Netty one and API Gateway enforces its own limits.
 */
final class DecoderLimits {

    private DecoderLimits() {
    }

    /** The code for a request the decoder refused for its line or headers; null for any other request. */
    @Nullable
    static ErrorCode exceeded(@Nullable HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty) || !netty.getNativeRequest().decoderResult().isFailure()) {
            return null;
        }
        Throwable cause = netty.getNativeRequest().decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            return ErrorCode.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ErrorCode.HEADERS_TOO_LARGE;
        }
        return null;
    }
}
