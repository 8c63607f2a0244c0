package io.raregen.functions.receipts;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Instant;
import java.util.List;

/**
 * The service's receipt keys ({@code raregen.receipts.*}).
 *
 * @param serviceName  the service identity named in every receipt (default {@code raregen})
 * @param signingKey   the current receipt key as WIF or 64 hex characters (a secret: never logged; in AWS from
 *                     Secrets Manager, generated there as hex; locally a WIF from the launcher's secrets.json)
 * @param validFrom    when the current key came into use (published with it; default: unset)
 * @param retiredKeys  earlier keys, still published so old receipts verify: each
 *                     {@code PUBKEYHEX/VALID_FROM/VALID_TO} with ISO-8601 instants (default: none)
 * @param requireKey   refuse to start without {@code signing-key} (default false: an ephemeral key is
 *                     generated and logged as such; the Lambda environment sets true)
 */
@ConfigurationProperties("raregen.receipts")
public record ReceiptConfiguration(
        @Bindable(defaultValue = "raregen") String serviceName,
        @Nullable String signingKey,
        @Nullable Instant validFrom,
        @Nullable List<String> retiredKeys,
        @Bindable(defaultValue = "false") boolean requireKey) {

    @Override
    public String toString() {
        return "ReceiptConfiguration[serviceName=" + serviceName + ", signingKey="
                + (signingKey == null || signingKey.isBlank() ? "unset" : "***") + ", validFrom=" + validFrom
                + ", retiredKeys=" + retiredKeys + ", requireKey=" + requireKey + "]";
    }
}
