package io.raregen.localchain.ledger;

import java.util.List;

/**
 * Everything the ledger must keep across restarts, and the export format (GET /admin/export):
 * every accepted transaction with its prevouts, in acceptance order, and every block.
 */
public record LedgerState(int formatVersion, List<BlockRecord> blocks, List<TxRecord> transactions) {

    /** One spent output as the spending transaction saw it. */
    public record Prevout(String txid, int vout, long satoshis, String lockingScript) {
    }

    /** One accepted transaction; {@code faucet} marks the chain's own funding transactions (no prevouts). */
    public record TxRecord(String txid, String rawTx, boolean faucet, List<Prevout> prevouts, String txStatus,
                           String blockHash, Long blockHeight, String merklePath) {
    }

    /** One block; txids in block order, the coinbase first. */
    public record BlockRecord(long height, String hash, String prevHash, String merkleRoot, long time,
                              List<String> txids, String coinbaseRawTx) {
    }
}
