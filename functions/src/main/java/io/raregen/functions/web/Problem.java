package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** RFC 7807 problem details plus the stable {@code code} clients switch on. */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail, String code, @Nullable String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(String code, String title, int status, String detail, String instance) {
        return new Problem("urn:raregen:problem:" + code, title, status, detail, code, instance);
    }
}
