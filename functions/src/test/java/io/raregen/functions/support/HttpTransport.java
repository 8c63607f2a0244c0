package io.raregen.functions.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Real HTTP to the Netty server. */
public final class HttpTransport implements Transport {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;

    public HttpTransport(URI base) {
        this.base = base;
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(request.path()))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), body);
        request.headers().forEach(b::header);
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (Exception e) {
            throw new IllegalStateException("HTTP " + request.method() + " " + request.path() + " failed", e);
        }
    }
}
