package io.raregen.functions.site;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;

/**
 * The web app served at {@code /} ({@code raregen.site.*}).
 *
 * @param enabled    serve the page, its {@code /config.json} and its security headers (default true; the
 *                   Lambda host turns it off: in AWS CloudFront serves the page from S3)
 * @param headersUrl where the page fetches block headers to check merkle roots, a URL with {@code {hash}}
 *                   (and optionally {@code {height}}); a source other than this API. Unset: the page's own
 *                   default (WhatsOnChain main net). {@code ./raregen local} sets the local chain's
 *                   {@code /admin/blocks/{hash}}
 */
@ConfigurationProperties("raregen.site")
public record SiteConfiguration(@Bindable(defaultValue = "true") boolean enabled, @Nullable String headersUrl) {

    public SiteConfiguration {
        if (headersUrl != null && !headersUrl.isBlank()) {
            URI u = URI.create(headersUrl.replace("{hash}", "h").replace("{height}", "0"));
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("raregen.site.headers-url must be an http(s) URL, not " + headersUrl);
            }
        }
    }

    /** {@code scheme://host[:port]} of the header source, for the page's Content-Security-Policy; null when unset. */
    @Nullable
    public String headersOrigin() {
        if (headersUrl == null || headersUrl.isBlank()) {
            return null;
        }
        URI u = URI.create(headersUrl.replace("{hash}", "h").replace("{height}", "0"));
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
