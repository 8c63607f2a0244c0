package io.raregen.broadcaster.headers;

import io.raregen.core.proof.BlockHeader;

import java.io.IOException;
import java.util.Optional;

/** Where block headers come from: a source other than the ARC whose merkle paths they check. */
public interface BlockHeaderSource {

    /** A block as the source knows it; {@code height} is null when the source does not say. */
    record SourcedHeader(BlockHeader header, Long height) {
    }

    /** The block with this hash (display hex), or empty when the source does not know it. */
    Optional<SourcedHeader> byHash(String blockHash) throws IOException;

    /** The hash of the block at this height on the source's chain, or empty when it has none there. */
    Optional<String> hashAtHeight(long height) throws IOException;

    /** For logs and the block_headers.source column. */
    String describe();
}
