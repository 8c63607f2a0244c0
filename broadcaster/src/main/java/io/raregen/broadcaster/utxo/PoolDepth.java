package io.raregen.broadcaster.utxo;

import java.util.Map;

/**
 * The pool's live figures, cheap enough to read every few seconds: counts and satoshis of {@code pending},
 * {@code available} and {@code reserved} outputs (all purposes), usable publish depth and available funding
 * satoshis. Its cost follows the pool's depth, not its history; the history-wide audit is {@link PoolSnapshot}.
 */
public record PoolDepth(
        Map<String, Long> countByStatus,
        Map<String, Long> satsByStatus,
        long publishAvailable,
        long fundingAvailableSats) {
}
