package io.raregen.cli.verify;

import java.util.Optional;

/** Where the verifier gets a block header to compare a merkle root with. */
public interface HeaderSource {

    /** The header of the block {@code blockHash}, if this source knows it. */
    Optional<BlockRef> header(String blockHash, Long blockHeight) throws Exception;

    /** A short description for the report ("the proof", "http://…"). */
    String describe();

    HeaderSource NONE = new HeaderSource() {
        @Override
        public Optional<BlockRef> header(String blockHash, Long blockHeight) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
