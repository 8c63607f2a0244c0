package io.raregen.functions.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request as a test describes it, independent of the host (Netty or Lambda). */
public record ApiRequest(String method, String path, String body, Map<String, String> headers) {

    public static ApiRequest get(String path) {
        return new ApiRequest("GET", path, null, Map.of());
    }

    public static ApiRequest postJson(String path, String body) {
        return new ApiRequest("POST", path, body, Map.of("Content-Type", "application/json"));
    }

    public ApiRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiRequest(method, path, body, h);
    }

    public ApiRequest withContentType(String contentType) {
        return withHeader("Content-Type", contentType);
    }

    public ApiRequest asOperator() {
        return withHeader("Authorization", "Bearer " + TestEnv.ADMIN_TOKEN);
    }
}
