package io.raregen.functions.site;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.functions.intake.IntakeConfiguration;
import io.swagger.v3.oas.annotations.Hidden;

/** {@code GET /config.json}: what the web app needs to know about this deployment. */
@Controller
@Requires(property = "raregen.site.enabled", notEquals = "false")
@Hidden
public class SiteController {

    /** @param headersUrl block header source template (absent: the page's default); @param maxPayloadBytes intake limit */
    @Serdeable
    public record SiteSettings(String headersUrl, int maxPayloadBytes) {
    }

    private final SiteSettings settings;

    public SiteController(SiteConfiguration site, IntakeConfiguration intake) {
        String headers = site.headersUrl() == null || site.headersUrl().isBlank() ? null : site.headersUrl();
        this.settings = new SiteSettings(headers, intake.maxPayloadBytes());
    }

    @Get("/config.json")
    public SiteSettings config() {
        return settings;
    }
}
