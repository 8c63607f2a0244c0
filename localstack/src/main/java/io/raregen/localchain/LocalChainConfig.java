package io.raregen.localchain;

import io.raregen.localchain.faults.FaultSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a local chain; defaults are documented in localstack/README.md ("Local chain:
 * flags and knobs"). Build with {@link #builder()}.
 *
 * @param host                   interface to bind (default 127.0.0.1)
 * @param port                   TCP port; 0 picks a free one (default 0 in code, 9090 from LocalChainMain)
 * @param blockInterval          time between mined blocks; ZERO mines only on demand (default 5 s)
 * @param feeSatoshis            miningFee.satoshis of GET /v1/policy (default 1)
 * @param feeBytes               miningFee.bytes of GET /v1/policy (default 1000)
 * @param skipScriptValidation   accept without verifying unlocking scripts (default false)
 * @param maxChainDepth          longest chain of unconfirmed ancestors a transaction may have (default 9999, as the node)
 * @param maxTxSize              maxtxsizepolicy in bytes (default 10,000,000)
 * @param orphanExpiry           how long a transaction with unknown inputs stays SEEN_IN_ORPHAN_MEMPOOL before REJECTED (default 10 min)
 * @param stateFile              JSON file loaded at start and written periodically and at close; null keeps state in memory only
 * @param persistInterval        how often the state file is written (default 30 s)
 * @param httpThreads            size of the HTTP worker pool (default 64; hanging faults occupy workers)
 * @param callbackMaxAttempts    deliveries tried per callback before giving up (default 10)
 * @param callbackInitialBackoff wait after the first failed delivery, doubled after each failure (default 500 ms)
 * @param callbackMaxBackoff     cap of the callback backoff (default 30 s)
 * @param faults                 fault switches in force at start (default none)
 */
public record LocalChainConfig(
        String host,
        int port,
        Duration blockInterval,
        long feeSatoshis,
        long feeBytes,
        boolean skipScriptValidation,
        int maxChainDepth,
        int maxTxSize,
        Duration orphanExpiry,
        Path stateFile,
        Duration persistInterval,
        int httpThreads,
        int callbackMaxAttempts,
        Duration callbackInitialBackoff,
        Duration callbackMaxBackoff,
        FaultSettings faults) {

    public LocalChainConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(blockInterval, "blockInterval");
        Objects.requireNonNull(faults, "faults");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (feeSatoshis < 0 || feeBytes <= 0) {
            throw new IllegalArgumentException("fee rate needs satoshis >= 0 and bytes > 0");
        }
        if (maxChainDepth < 1 || maxTxSize < 61 || httpThreads < 2 || callbackMaxAttempts < 1) {
            throw new IllegalArgumentException("maxChainDepth >= 1, maxTxSize >= 61, httpThreads >= 2, callbackMaxAttempts >= 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.blockInterval = blockInterval;
        b.feeSatoshis = feeSatoshis;
        b.feeBytes = feeBytes;
        b.skipScriptValidation = skipScriptValidation;
        b.maxChainDepth = maxChainDepth;
        b.maxTxSize = maxTxSize;
        b.orphanExpiry = orphanExpiry;
        b.stateFile = stateFile;
        b.persistInterval = persistInterval;
        b.httpThreads = httpThreads;
        b.callbackMaxAttempts = callbackMaxAttempts;
        b.callbackInitialBackoff = callbackInitialBackoff;
        b.callbackMaxBackoff = callbackMaxBackoff;
        b.faults = faults;
        return b;
    }

    /** Fluent builder with the documented defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Duration blockInterval = Duration.ofSeconds(5);
        private long feeSatoshis = 1;
        private long feeBytes = 1000;
        private boolean skipScriptValidation = false;
        private int maxChainDepth = 9999;
        private int maxTxSize = 10_000_000;
        private Duration orphanExpiry = Duration.ofMinutes(10);
        private Path stateFile = null;
        private Duration persistInterval = Duration.ofSeconds(30);
        private int httpThreads = 64;
        private int callbackMaxAttempts = 10;
        private Duration callbackInitialBackoff = Duration.ofMillis(500);
        private Duration callbackMaxBackoff = Duration.ofSeconds(30);
        private FaultSettings faults = FaultSettings.NONE;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder blockInterval(Duration v) { blockInterval = v; return this; }
        /** Manual mining only: blocks come from {@code mineBlock()} or POST /admin/mine. */
        public Builder manualMining() { blockInterval = Duration.ZERO; return this; }
        public Builder fee(long satoshis, long bytes) { feeSatoshis = satoshis; feeBytes = bytes; return this; }
        public Builder skipScriptValidation(boolean v) { skipScriptValidation = v; return this; }
        public Builder maxChainDepth(int v) { maxChainDepth = v; return this; }
        public Builder maxTxSize(int v) { maxTxSize = v; return this; }
        public Builder orphanExpiry(Duration v) { orphanExpiry = v; return this; }
        public Builder stateFile(Path v) { stateFile = v; return this; }
        public Builder persistInterval(Duration v) { persistInterval = v; return this; }
        public Builder httpThreads(int v) { httpThreads = v; return this; }
        public Builder callbackMaxAttempts(int v) { callbackMaxAttempts = v; return this; }
        public Builder callbackInitialBackoff(Duration v) { callbackInitialBackoff = v; return this; }
        public Builder callbackMaxBackoff(Duration v) { callbackMaxBackoff = v; return this; }
        public Builder faults(FaultSettings v) { faults = v; return this; }

        public LocalChainConfig build() {
            return new LocalChainConfig(host, port, blockInterval, feeSatoshis, feeBytes, skipScriptValidation,
                    maxChainDepth, maxTxSize, orphanExpiry, stateFile, persistInterval, httpThreads,
                    callbackMaxAttempts, callbackInitialBackoff, callbackMaxBackoff, faults);
        }
    }
}
