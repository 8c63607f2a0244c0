package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArcStatusMappingTest {

    @Test
    void txStatuses_mapToWhatThePipelineDoesNext() {
        assertEquals(Outcome.MINED, ArcStatusMapping.forTxStatus("MINED", null));
        assertEquals(Outcome.ACCEPTED, ArcStatusMapping.forTxStatus("SEEN_ON_NETWORK", null));
        assertEquals(Outcome.ACCEPTED, ArcStatusMapping.forTxStatus("ACCEPTED_BY_NETWORK", null));
        assertEquals(Outcome.ACCEPTED, ArcStatusMapping.forTxStatus("MINED_IN_STALE_BLOCK", null));
        assertEquals(Outcome.IN_FLIGHT, ArcStatusMapping.forTxStatus("STORED", null));
        assertEquals(Outcome.IN_FLIGHT, ArcStatusMapping.forTxStatus("SEEN_IN_ORPHAN_MEMPOOL", "missing inputs"));
        assertEquals(Outcome.CONFLICT, ArcStatusMapping.forTxStatus("DOUBLE_SPEND_ATTEMPTED", null));
        assertEquals(Outcome.REJECTED, ArcStatusMapping.forTxStatus("REJECTED", "bad-txns"));
        assertEquals(Outcome.CONFLICT, ArcStatusMapping.forTxStatus("REJECTED", "258: txn-mempool-conflict"));
        assertEquals(Outcome.ACCEPTED, ArcStatusMapping.forTxStatus("REJECTED", "Transaction already in the mempool"));
        assertEquals(Outcome.UNKNOWN, ArcStatusMapping.forTxStatus(null, null));
    }

    @Test
    void errorStatuses_46xAreDefinitiveExcept466WhichIsAConflict() {
        assertEquals(Outcome.CONFLICT, ArcStatusMapping.forErrorStatus(466, null));
        assertEquals(Outcome.REJECTED, ArcStatusMapping.forErrorStatus(461, null));
        assertEquals(Outcome.REJECTED, ArcStatusMapping.forErrorStatus(465, "minimum expected fee: 2, actual fee: 1"));
        assertEquals(Outcome.REJECTED, ArcStatusMapping.forErrorStatus(400, null));
        assertEquals(Outcome.UNKNOWN, ArcStatusMapping.forErrorStatus(409, null));
        assertEquals(Outcome.UNKNOWN, ArcStatusMapping.forErrorStatus(503, null));
        assertEquals(Outcome.UNKNOWN, ArcStatusMapping.forErrorStatus(401, null));
    }
}
