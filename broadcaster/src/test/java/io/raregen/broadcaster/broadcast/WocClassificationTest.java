package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** WhatsOnChain's answers as seen in the wild (docs/ARCHITECTURE.md#whatsonchain-fallback), mapped to outcomes. */
class WocClassificationTest {
    static final Txid T = Txid.fromHex("ab".repeat(32));

    @Test
    void woc_answers_mapToOutcomes() {
        assertEquals(Outcome.ACCEPTED, WocTransactionBroadcaster.classify(T, 200, "\"" + T.hex() + "\"").outcome());
        assertEquals(Outcome.ACCEPTED, WocTransactionBroadcaster.classify(T, 400, "unexpected response code 500: Transaction already in the mempool").outcome());
        assertEquals(Outcome.CONFLICT, WocTransactionBroadcaster.classify(T, 400, "unexpected response code 500: 258: txn-mempool-conflict").outcome());
        assertEquals(Outcome.IN_FLIGHT, WocTransactionBroadcaster.classify(T, 400, "unexpected response code 500: Missing inputs").outcome());
        assertEquals(Outcome.UNKNOWN, WocTransactionBroadcaster.classify(T, 429, "rate limited").outcome());
        assertEquals(Outcome.UNKNOWN, WocTransactionBroadcaster.classify(T, 503, "").outcome());
        assertEquals(Outcome.REJECTED, WocTransactionBroadcaster.classify(T, 400, "16: mandatory-script-verify-flag-failed").outcome());
    }
}
