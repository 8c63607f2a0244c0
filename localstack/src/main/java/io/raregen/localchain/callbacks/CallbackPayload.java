package io.raregen.localchain.callbacks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.raregen.localchain.TxView;
import java.util.List;

/** ARC's callback body: {timestamp, txid, txStatus, blockHash, blockHeight, merklePath, extraInfo, competingTxs}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallbackPayload(String timestamp, String txid, String txStatus, String blockHash, Long blockHeight,
                              String merklePath, String extraInfo, List<String> competingTxs) {

    public static CallbackPayload of(TxView v) {
        return new CallbackPayload(v.timestamp().toString(), v.txid(), v.status().name(), v.blockHash(),
                v.blockHeight(), v.merklePath(), v.extraInfo(),
                v.competingTxs().isEmpty() ? null : v.competingTxs());
    }
}
