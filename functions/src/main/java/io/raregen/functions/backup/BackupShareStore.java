package io.raregen.functions.backup;

import io.raregen.core.types.PublicKey;

import java.time.Instant;
import java.util.Optional;

/** The one encrypted backup share a key may keep with the service. */
public interface BackupShareStore {

    /** A stored share: its canonical JSON and the time of the signed request that stored it. */
    record StoredShare(String shareJson, Instant signedAt) {
    }

    /** What a signed write did. */
    enum WriteResult {
        /** Stored (or deleted). */
        WRITTEN,
        /** The same signed request again (same nonce and time): nothing changed, answered as success. */
        REPEATED,
        /** A request signed at or after this one already changed the share: nothing written. */
        STALE
    }

    /** Stores {@code shareJson} (null deletes) if {@code signedAt} is later than the last accepted write. */
    WriteResult write(PublicKey key, String shareJsonOrNull, Instant signedAt, String nonce);

    Optional<StoredShare> find(PublicKey key);
}
