package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.ratelimit.RateLimiter;

/**
 * The way to the network: the broadcaster (ARC, with its fallback), the rate limit every instance shares, how many
 * transactions one request carries ({@code raregen.arc.max-txs-per-request}), and whether ARC was asked to call back
 * (then the confirmation tracker polls later).
 */
public record Broadcasting(TransactionBroadcaster broadcaster, RateLimiter limiter, int maxTxsPerRequest,
                           boolean callbacksRequested) {
}
