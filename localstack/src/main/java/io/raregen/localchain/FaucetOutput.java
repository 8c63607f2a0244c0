package io.raregen.localchain;

import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import java.util.HexFormat;

/** An output created by the faucet, with the raw transaction that created it (its parent, for EF or BEEF). */
public record FaucetOutput(Utxo utxo, byte[] rawTx) {

    public Txid txid() {
        return utxo.outpoint().txid();
    }

    public int vout() {
        return utxo.outpoint().vout();
    }

    public Outpoint outpoint() {
        return utxo.outpoint();
    }

    public long sats() {
        return utxo.satoshis().value();
    }

    public Satoshis satoshis() {
        return utxo.satoshis();
    }

    public byte[] script() {
        return utxo.lockingScript();
    }

    public String rawTxHex() {
        return HexFormat.of().formatHex(rawTx);
    }
}
