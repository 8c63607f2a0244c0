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
 * @param signingWif   WIF of the current receipt key (a secret: never logged; in AWS from Secrets Manager,
 *                     locally from the launcher's secrets.json)
 * @param validFrom    when the current key came into use (published with it; default: unset)
 * @param retiredKeys  earlier keys, still published so old receipts verify: each
 *                     {@code PUBKEYHEX/VALID_FROM/VALID_TO} with ISO-8601 instants (default: none)
 * @param requireKey   refuse to start without {@code signing-wif} (default false: an ephemeral key is
 *                     generated and logged as such; the Lambda environment sets true)
 */
@ConfigurationProperties("raregen.receipts")
public record ReceiptConfiguration(
        @Bindable(defaultValue = "raregen") String serviceName,
        @Nullable String signingWif,
        @Nullable Instant validFrom,
        @Nullable List<String> retiredKeys,
        @Bindable(defaultValue = "false") boolean requireKey) {

    @Override
    public String toString() {
        return "ReceiptConfiguration[serviceName=" + serviceName + ", signingWif="
                + (signingWif == null || signingWif.isBlank() ? "unset" : "***") + ", validFrom=" + validFrom
                + ", retiredKeys=" + retiredKeys + ", requireKey=" + requireKey + "]";
    }
}
