package io.raregen.functions.accounts;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Accounts: sign-in codes by email, sessions, credits ({@code raregen.accounts.*}).
 *
 * @param starterCredits     credits a new account is given when it is created (default 10; 0: none)
 * @param codeTtl            how long a sign-in code is valid (default 10 minutes)
 * @param codeMaxTries       wrong entries after which a code is dead (default 5)
 * @param sessionTtl         how long a session lasts (default 30 days)
 * @param codeKey            the key sign-in codes are hashed with, 64+ hex characters (a secret: never logged; in AWS
 *                           from Secrets Manager, locally from the launcher). Unset: a random key per process, so a
 *                           code is only good on the instance that sent it (and is logged as such)
 * @param requireCodeKey     refuse to start without {@code code-key} (default false; the Lambda environment sets true)
 * @param mailFrom           the sender address of sign-in mail (default {@code no-reply@raregen.local}; on SES a verified identity)
 * @param mailFromName       the sender name shown (default {@code RareGen})
 * @param addressBurst       codes one address may be sent back to back (default 3)
 * @param addressRefill      then one more per this long (default 1 minute)
 * @param clientBurst        codes one client address may ask for back to back, whatever the recipients (default 20)
 * @param clientRefill       then one more per this long (default 10 seconds)
 */
@ConfigurationProperties("raregen.accounts")
public record AccountsConfiguration(
        @Bindable(defaultValue = "10") long starterCredits,
        @Bindable(defaultValue = "10m") Duration codeTtl,
        @Bindable(defaultValue = "5") int codeMaxTries,
        @Bindable(defaultValue = "30d") Duration sessionTtl,
        @Nullable String codeKey,
        @Bindable(defaultValue = "false") boolean requireCodeKey,
        @Bindable(defaultValue = "no-reply@raregen.local") String mailFrom,
        @Bindable(defaultValue = "RareGen") String mailFromName,
        @Bindable(defaultValue = "3") int addressBurst,
        @Bindable(defaultValue = "1m") Duration addressRefill,
        @Bindable(defaultValue = "20") int clientBurst,
        @Bindable(defaultValue = "10s") Duration clientRefill) {

    public AccountsConfiguration {
        if (starterCredits < 0 || codeMaxTries < 1 || addressBurst < 1 || clientBurst < 1
                || codeTtl.isNegative() || codeTtl.isZero() || sessionTtl.isNegative() || sessionTtl.isZero()
                || addressRefill.isNegative() || addressRefill.isZero() || clientRefill.isNegative() || clientRefill.isZero()) {
            throw new IllegalArgumentException("raregen.accounts: credits, tries and bursts must be positive, durations longer than zero");
        }
    }

    @Override
    public String toString() {
        return "AccountsConfiguration[starterCredits=" + starterCredits + ", codeTtl=" + codeTtl + ", codeMaxTries="
                + codeMaxTries + ", sessionTtl=" + sessionTtl + ", codeKey=" + (codeKey == null || codeKey.isBlank() ? "unset" : "***")
                + ", requireCodeKey=" + requireCodeKey + ", mailFrom=" + mailFromName + " <" + mailFrom + ">" + ", addressBurst=" + addressBurst
                + ", addressRefill=" + addressRefill + ", clientBurst=" + clientBurst + ", clientRefill=" + clientRefill + "]";
    }
}
