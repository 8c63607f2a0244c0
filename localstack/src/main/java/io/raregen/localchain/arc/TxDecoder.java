package io.raregen.localchain.arc;

import io.raregen.core.tx.ExtendedFormat;
import io.raregen.core.tx.RawTransaction;
import io.raregen.localchain.ledger.Candidate;

/** Parses one submitted transaction, raw or Extended Format (BIP-239), with core's parsers. */
final class TxDecoder {
    private TxDecoder() {
    }

    static Candidate decode(byte[] bytes, int index) throws BadRequestException {
        try {
            if (ExtendedFormat.isExtended(bytes)) {
                ExtendedFormat.Parsed ef = ExtendedFormat.parse(bytes);
                RawTransaction tx = RawTransaction.parse(ef.rawTx());
                return new Candidate(tx.txid(), ef.rawTx(), tx, ef.prevouts());
            }
            RawTransaction tx = RawTransaction.parse(bytes);
            return new Candidate(tx.txid(), bytes, tx, null);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("transaction " + index + " cannot be parsed: " + e.getMessage());
        }
    }
}
