package io.raregen.functions.receipts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** GET /v1/service-keys: every receipt key a receipt may name, current first. */
@Serdeable
public record ServiceKeysView(String service, String algorithm, List<Key> keys) {

    /** One key; {@code validTo} is absent for the current key. */
    @Serdeable
    public record Key(String keyId, String publicKey, String status, @Nullable String validFrom, @Nullable String validTo) {
    }
}
