package io.raregen.functions.ops;

import io.micronaut.serde.annotation.Serdeable;

/** POST /v1/ops/jobs/{jobId}/retry: the job is queued again. */
@Serdeable
public record RetryView(String jobId, String status) {
}
