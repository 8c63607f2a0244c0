package io.raregen.broadcaster.keys;

import io.raregen.core.keys.KeyPair;

/**
 * The service's own keys: the pool key (publish UTXOs and change) and the funding key (large
 * UTXOs the replenisher splits). Loaded from configuration or Secrets Manager; never logged.
 */
public interface ServiceKeys {
    KeyPair poolKey();

    KeyPair fundingKey();
}
