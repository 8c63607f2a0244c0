package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.types.AccountId;

import java.time.Instant;
import java.util.List;

/** Plans (a monthly allowance of credits) and which account is on which. */
public interface PlanStore {

    List<Plan> list();

    /** Creates the plan or changes its allowance. */
    Plan put(String name, long monthlyCredits);

    /**
     * Puts the account on the plan (null: on none).
     *
     * @return the result, or why not
     */
    Assignment assign(AccountId account, @Nullable String plan);

    /** A plan. */
    @Serdeable
    record Plan(String name, long monthlyCredits, Instant createdAt, Instant updatedAt) {
    }

    /** Result of {@link #assign}. */
    enum Assignment { DONE, NO_SUCH_ACCOUNT, NO_SUCH_PLAN }
}
