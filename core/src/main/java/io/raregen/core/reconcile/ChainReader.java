package io.raregen.core.reconcile;

import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;

import java.util.Optional;

/**
 * What {@link ChainReconciliation} asks the chain: is a transaction there (and in which block), its bytes, and which
 * transaction spends an output. {@link WocChainReader} reads it from a WhatsOnChain-shaped API.
 */
public interface ChainReader {

    /** An accepted transaction; {@code blockHeight} null while it is in the mempool. */
    record ChainTx(Txid txid, Long blockHeight, String blockHash) {
        public boolean mined() {
            return blockHeight != null;
        }
    }

    /** The transaction, or empty when the chain does not know it. */
    Optional<ChainTx> transaction(Txid txid);

    /** The raw bytes of a transaction the chain knows; throws {@link ChainException} when it does not. */
    byte[] rawTransaction(Txid txid);

    /** The transaction spending {@code outpoint}, or empty while the output is unspent. */
    Optional<Txid> spender(Outpoint outpoint);

    /** The chain could not be read; {@code code} is stable (CHAIN_UNREACHABLE, CHAIN_HTTP_nnn, CHAIN_BAD_RESPONSE). */
    final class ChainException extends RuntimeException {
        private final String code;

        public ChainException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
