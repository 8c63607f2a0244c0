package io.raregen.functions.site;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Security headers on every response; on the web app's own responses (everything outside the API,
 * {@code /health} and Swagger UI, whose page has inline scripts) also a Content-Security-Policy that
 * allows only this origin's scripts and styles, and connections to this origin and the block header source.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "raregen.site.enabled", notEquals = "false")
public class SecurityHeadersFilter {

    private final String csp;

    public SecurityHeadersFilter(SiteConfiguration site) {
        String headers = site.headersOrigin();
        this.csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self'" + (headers == null ? " https://api.whatsonchain.com" : " " + headers)
                + "; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    @ResponseFilter
    public void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        String path = request.getPath();
        if (!path.startsWith("/v1/") && !path.equals("/health") && !path.startsWith("/swagger")) {
            response.header("Content-Security-Policy", csp);
            response.header("X-Frame-Options", "DENY");
            response.header("Cross-Origin-Opener-Policy", "same-origin");
        }
    }
}
