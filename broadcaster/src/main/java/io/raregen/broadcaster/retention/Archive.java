package io.raregen.broadcaster.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where finished history goes when it leaves the database: a store of immutable objects by key
 * ({@code publish_job_transition_sets/2026/12/05.jsonl.gz}). A directory locally, an S3 bucket in AWS.
 */
public interface Archive {

    /** Stores {@code file}'s bytes under {@code key}, replacing what was there; done when it returns. */
    void put(String key, Path file) throws IOException;

    /** The object's bytes, or empty when there is none under {@code key}. */
    Optional<InputStream> open(String key) throws IOException;

    /** Where the objects go, for logs and the operator ({@code file:/var/lib/raregen/archive}, {@code s3://bucket/prefix}). */
    String location();
}
