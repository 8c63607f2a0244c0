package io.raregen.localchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalChainMainTest {

    @Test
    void parse_defaults_port9090_fiveSecondBlocks() {
        LocalChainConfig c = LocalChainMain.parse(new String[0]);
        assertEquals(9090, c.port());
        assertEquals(Duration.ofSeconds(5), c.blockInterval());
        assertEquals(9999, c.maxChainDepth());
        assertEquals(1, c.feeSatoshis());
        assertEquals(1000, c.feeBytes());
    }

    @Test
    void parse_everyFlag() {
        LocalChainConfig c = LocalChainMain.parse(new String[] {"--port", "0", "--block-interval=500ms",
                "--fee-sats", "50", "--fee-bytes", "1000", "--skip-script-validation", "--max-chain-depth", "25",
                "--state-file", "/tmp/x.json", "--latency-ms", "10", "--error-rate", "0.1", "--timeout-after-accept-rate",
                "0.2", "--drop-response-rate", "0.3", "--orphan-for-ms", "400", "--stored-for-ms", "5",
                "--reject-rate", "0.05", "--reject-next", "3", "--fault-seed", "9", "--hang-ms", "100",
                "--error-status", "500", "--max-tx-size", "1000", "--orphan-expiry", "2m", "--http-threads", "8",
                "--callback-max-attempts", "4", "--callback-backoff", "1s", "--callback-max-backoff", "10s",
                "--persist-interval", "0"});
        assertEquals(Duration.ofMillis(500), c.blockInterval());
        assertEquals(50, c.feeSatoshis());
        assertTrue(c.skipScriptValidation());
        assertEquals(25, c.maxChainDepth());
        assertEquals(Path.of("/tmp/x.json"), c.stateFile());
        assertEquals(0.3, c.faults().dropResponseRate());
        assertEquals(3, c.faults().rejectNext());
        assertEquals(9, c.faults().seed());
        assertEquals(500, c.faults().errorStatus());
        assertEquals(Duration.ofMinutes(2), c.orphanExpiry());
        assertEquals(Duration.ZERO, c.persistInterval());
    }

    @Test
    void parse_help_isNull_andUnknownFlagFails() {
        assertNull(LocalChainMain.parse(new String[] {"--help"}));
        assertThrows(IllegalArgumentException.class, () -> LocalChainMain.parse(new String[] {"--nope", "1"}));
        assertThrows(IllegalArgumentException.class, () -> LocalChainMain.parse(new String[] {"--error-rate", "2"}));
    }
}
