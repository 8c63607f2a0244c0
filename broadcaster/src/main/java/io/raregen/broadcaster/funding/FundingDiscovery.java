package io.raregen.broadcaster.funding;

import io.raregen.core.types.Outpoint;

import java.util.List;

/** Finds outputs paid to an address, with their raw transactions (funding option C, docs/ARCHITECTURE.md#the-original-system). */
public interface FundingDiscovery {

    /** An unspent output found for the address, and the raw transaction (hex) that created it. */
    record Discovered(Outpoint outpoint, long satoshis, int height, String rawTxHex) {
    }

    List<Discovered> unspent(String address);
}
