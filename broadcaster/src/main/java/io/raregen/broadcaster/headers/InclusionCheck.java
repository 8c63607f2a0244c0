package io.raregen.broadcaster.headers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.core.proof.BlockHeader;
import io.raregen.core.proof.MerklePath;
import io.raregen.core.proof.MerklePathException;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks what an ARC says about a mined transaction against a header from another source: the
 * BUMP must contain the txid, be for the stated height, and compute the merkle root of the header
 * whose hash is the stated block hash. ARC has shipped wrong paths; a receipt must never carry one.
 * Headers that passed are stored ({@code block_headers}) for receipts and the reorg watch.
 * Counts {@code raregen_merkle_checks_total{outcome=verified|mismatch|unavailable}}.
 */
public final class InclusionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(InclusionCheck.class);
    private static final int CACHE = 256;

    /** The check's answer; {@code reason} says what did not hold. */
    public enum Outcome { VERIFIED, MISMATCH, UNAVAILABLE }

    public record Verdict(Outcome outcome, String reason) {
        public boolean verified() {
            return outcome == Outcome.VERIFIED;
        }
    }

    private final BlockHeaderSource source;
    private final HeaderStore store;
    private final Counter verified;
    private final Counter mismatch;
    private final Counter unavailable;
    // headers already checked by hash: one block holds many jobs, one fetch serves them all
    private final Map<String, HeaderStore.Stored> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HeaderStore.Stored> eldest) {
            return size() > CACHE;
        }
    };

    public InclusionCheck(BlockHeaderSource source, HeaderStore store, MeterRegistry registry) {
        this.source = source;
        this.store = store;
        this.verified = counter(registry, "verified");
        this.mismatch = counter(registry, "mismatch");
        this.unavailable = counter(registry, "unavailable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("raregen.merkle.checks").description("merkle paths checked against an independent block header")
                .tag("outcome", outcome).register(registry);
    }

    public String sourceName() {
        return source.describe();
    }

    /** Forgets a block (it left the chain). */
    public void forget(String blockHash) {
        synchronized (known) {
            known.remove(blockHash);
        }
    }

    public Verdict check(String jobId, Txid txid, byte[] bump, String blockHash, Integer blockHeight) {
        Verdict v = evaluate(txid, bump, blockHash, blockHeight);
        switch (v.outcome()) {
            case VERIFIED -> verified.increment();
            case MISMATCH -> {
                mismatch.increment();
                try (MDC.MDCCloseable a = MDC.putCloseable("jobId", jobId); MDC.MDCCloseable b = MDC.putCloseable("txid", txid.hex())) {
                    LOG.error("merkle path for {} of job {} does not check against {}: {}; the job stays sent",
                            txid.hex(), jobId, source.describe(), v.reason());
                }
            }
            case UNAVAILABLE -> {
                unavailable.increment();
                LOG.warn("cannot check the merkle path of {} (job {}) yet: {}; the job stays sent", txid.hex(), jobId, v.reason());
            }
        }
        return v;
    }

    private Verdict evaluate(Txid txid, byte[] bump, String blockHash, Integer blockHeight) {
        if (bump == null || blockHash == null || blockHeight == null) {
            return new Verdict(Outcome.MISMATCH, "no merkle path, block hash or height");
        }
        byte[] root;
        try {
            MerklePath path = MerklePath.parse(bump);
            if (path.blockHeight() != blockHeight) {
                return new Verdict(Outcome.MISMATCH, "the path is for height " + path.blockHeight() + ", ARC says " + blockHeight);
            }
            root = path.computeRoot(txid);
        } catch (MerklePathException e) {
            return new Verdict(Outcome.MISMATCH, "merkle path: " + e.getMessage());
        }
        HeaderStore.Stored header;
        try {
            Optional<HeaderStore.Stored> h = header(blockHash.toLowerCase());
            if (h.isEmpty()) {
                return new Verdict(Outcome.UNAVAILABLE, source.describe() + " does not know block " + blockHash);
            }
            header = h.get();
        } catch (IOException | RuntimeException e) {
            return new Verdict(Outcome.UNAVAILABLE, "header source " + source.describe() + ": " + e.getMessage());
        }
        if (header.height() != blockHeight) {
            return new Verdict(Outcome.MISMATCH, "block " + blockHash + " is at height " + header.height() + ", ARC says " + blockHeight);
        }
        if (!Arrays.equals(header.header().merkleRoot(), root)) {
            return new Verdict(Outcome.MISMATCH, "the path leads to root " + hex(root) + " but block " + blockHash
                    + " commits to " + header.header().merkleRootHex());
        }
        return new Verdict(Outcome.VERIFIED, "root " + header.header().merkleRootHex() + " of block " + blockHash);
    }

    /** The checked header of a block: memory, then the table, then the source (stored once it is consistent). */
    private Optional<HeaderStore.Stored> header(String blockHash) throws IOException {
        synchronized (known) {
            HeaderStore.Stored h = known.get(blockHash);
            if (h != null) {
                return Optional.of(h);
            }
        }
        Optional<HeaderStore.Stored> stored = store.find(blockHash);
        if (stored.isEmpty()) {
            Optional<BlockHeaderSource.SourcedHeader> fetched = source.byHash(blockHash);
            if (fetched.isEmpty()) {
                return Optional.empty();
            }
            BlockHeader header = fetched.get().header();
            if (!header.hash().equals(blockHash)) {
                throw new IllegalStateException("the source's header for " + blockHash + " hashes to " + header.hash());
            }
            Long height = fetched.get().height();
            if (height == null) {
                throw new IllegalStateException("the source does not state the height of block " + blockHash);
            }
            store.save(blockHash, height, header, source.describe());
            stored = Optional.of(new HeaderStore.Stored(blockHash, height, header));
        }
        synchronized (known) {
            known.put(blockHash, stored.get());
        }
        return stored;
    }

    private static String hex(byte[] internal) {
        byte[] r = new byte[internal.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = internal[internal.length - 1 - i];
        }
        return java.util.HexFormat.of().formatHex(r);
    }
}
