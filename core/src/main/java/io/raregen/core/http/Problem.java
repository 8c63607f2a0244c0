package io.raregen.core.http;

/**
 * The one error body of both applications' HTTP ports: RFC 7807 problem details plus the stable {@code code} clients
 * switch on. Framework-free so that the functions API and the broadcaster's operator port answer alike; each app
 * serialises it (Micronaut serde {@code @SerdeImport}).
 */
public record Problem(String type, String title, int status, String detail, String code, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:raregen:problem:";

    public static Problem of(String code, String title, int status, String detail, String instance) {
        return new Problem(TYPE_PREFIX + code, title, status, detail, code, instance);
    }
}
