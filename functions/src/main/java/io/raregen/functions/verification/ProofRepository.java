package io.raregen.functions.verification;

import io.raregen.core.types.JobId;

import java.util.Optional;

/** Reads what a publication proof is made of. */
public interface ProofRepository {

    Optional<ProofSource> find(JobId jobId);
}
