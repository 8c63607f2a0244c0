package io.raregen.broadcaster.store;

import io.raregen.core.types.JobId;

import java.time.Instant;

/** A job that just moved to sent, with the instant it was accepted at intake (for accept → sent). */
public record SentJob(JobId jobId, Instant createdAt, Instant sentAt) {
}
