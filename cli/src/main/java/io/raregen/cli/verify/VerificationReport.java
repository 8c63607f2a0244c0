package io.raregen.cli.verify;

import java.util.List;
import java.util.Optional;

/** Every check run on one proof; the proof passes when none failed. */
public record VerificationReport(String jobId, String txid, List<Check> checks) {

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.outcome() == Check.Outcome.FAIL);
    }

    public Optional<Check> firstFailure() {
        return checks.stream().filter(c -> c.outcome() == Check.Outcome.FAIL).findFirst();
    }

    public Optional<Check> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
