package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * Request bodies arrive as bytes: {@link CharsetFilter} has already answered every charset but UTF-8, and decoding
 * here keeps the framework's text readers, which would hand a quoted or aliased charset name to
 * {@code Charset.forName}, out of the way.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The body as UTF-8 text; null when there was none. */
    @Nullable
    public static String utf8(@Nullable byte[] body) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }
}
