package io.raregen.localchain;

/**
 * One transaction as a network's rate limit counts it: its txid and when the HTTP request that carried it reached the
 * chain ({@code POST /v1/tx} or {@code /v1/txs}), in milliseconds since the epoch. Every submission counts, a
 * re-submission of a known transaction and one that is rejected included.
 */
public record Arrival(String txid, long atMillis) {
}
