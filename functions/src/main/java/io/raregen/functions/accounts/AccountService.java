package io.raregen.functions.accounts;

import jakarta.inject.Singleton;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.raregen.core.accounts.EmailAddress;
import io.raregen.core.accounts.OneTimeCode;
import io.raregen.core.accounts.SessionToken;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.AccountId;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.RateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-in by email code and sessions. Nothing it answers tells whether an address has an account: a code is sent
 * (or throttled) the same way for every address, and only the holder of the code learns whether the session it
 * gets opened a new account.
 */
@Singleton
public class AccountService {

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore accounts;
    private final SignInCodes codes;
    private final Sessions sessions;
    // resolved at the first code sent: the SES client is built only when mail goes out
    private final BeanProvider<CodeMailer> mailer;
    private final AccountsConfiguration config;
    private final OneTimeCode hasher;

    public AccountService(AccountStore accounts, SignInCodes codes, Sessions sessions, BeanProvider<CodeMailer> mailer,
                          AccountsConfiguration config) {
        this.accounts = accounts;
        this.codes = codes;
        this.sessions = sessions;
        this.mailer = mailer;
        this.config = config;
        this.hasher = new OneTimeCode(codeKey(config));
    }

    private static byte[] codeKey(AccountsConfiguration config) {
        String hex = config.codeKey();
        if (hex == null || hex.isBlank()) {
            if (config.requireCodeKey()) {
                throw new IllegalStateException("raregen.accounts.code-key is required (raregen.accounts.require-code-key) but not set");
            }
            LOG.warn("raregen.accounts.code-key is not set: sign-in codes are hashed with a random key of this process, "
                    + "so a code is only accepted by the instance that sent it and not after a restart");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return key;
        }
        try {
            byte[] key = Hex.decode(hex.strip());
            if (key.length < 32) {
                throw new IllegalArgumentException("too short");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("raregen.accounts.code-key must be at least 64 hex characters");
        }
    }

    /** Sends a fresh code to the address, unless the address or the client has asked too often. */
    public void requestCode(@Nullable String rawEmail, @Nullable String clientAddress) {
        EmailAddress to = email(rawEmail);
        throttle("client:" + (clientAddress == null ? "unknown" : clientAddress), config.clientBurst(), config.clientRefill(),
                "this client has asked for too many sign-in codes");
        throttle("email:" + to.value(), config.addressBurst(), config.addressRefill(),
                "too many sign-in codes were sent to this address");
        String code = OneTimeCode.generate();
        codes.store(to, hasher.hash(to, code), Instant.now().plus(config.codeTtl()));
        try {
            mailer.get().sendCode(to, code, config.codeTtl());
        } catch (CodeMailer.MailUnavailableException e) {
            LOG.warn("sign-in code to an address at {} not sent: {}", to.domain(), e.getMessage());
            codes.discard(to);
            throw new ApiException(ErrorCode.MAIL_UNAVAILABLE, "the sign-in code could not be sent; try again in a minute", e);
        }
    }

    /** Checks the code and opens a session, creating the account at its first sign-in. */
    public SignIn signIn(@Nullable String rawEmail, @Nullable String code, @Nullable String userAgent) {
        EmailAddress email = email(rawEmail);
        if (!codes.consume(email, stored -> hasher.matches(email, code, stored), config.codeMaxTries())) {
            throw new ApiException(ErrorCode.OTP_INVALID, "the code is wrong, expired or used up; ask for a new one");
        }
        AccountStore.SignedIn signedIn = accounts.signIn(email, config.starterCredits());
        SessionToken token = SessionToken.generate();
        Session session = sessions.create(signedIn.account().id(), token.hash(), Instant.now().plus(config.sessionTtl()), userAgent);
        return new SignIn(token, session, signedIn.account(), signedIn.created());
    }

    /** The session an {@code Authorization: Bearer rgs_…} header carries; empty when the header holds no session token. */
    public Optional<Session> session(@Nullable String authorization) {
        String token = bearer(authorization);
        if (!SessionToken.looksLikeOne(token)) {
            return Optional.empty();
        }
        Optional<Session> session = sessions.active(SessionToken.parse(token).hash());
        if (session.isEmpty()) {
            throw invalidSession();
        }
        return session;
    }

    /** Like {@link #session} but the session is required. */
    public Session requireSession(@Nullable String authorization) {
        return session(authorization).orElseThrow(AccountService::invalidSession);
    }

    /** True when the header carries something shaped like a session token (valid or not). */
    public static boolean carriesSession(@Nullable String authorization) {
        return SessionToken.looksLikeOne(bearer(authorization));
    }

    public Account account(AccountId id) {
        return accounts.find(id).orElseThrow(() -> new ApiException(ErrorCode.ACCOUNT_NOT_FOUND, "no account " + id));
    }

    private void throttle(String bucket, int burst, java.time.Duration refill, String why) {
        long waitNanos = codes.take(bucket, burst, refill);
        if (waitNanos > 0) {
            long seconds = (waitNanos + 999_999_999L) / 1_000_000_000L;
            throw new RateLimitedException(why + "; retry after " + seconds + " s", seconds);
        }
    }

    static EmailAddress email(@Nullable String raw) {
        try {
            return EmailAddress.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.EMAIL_INVALID,
                    "email must be an address like name@example.com (at most " + EmailAddress.MAX_LENGTH + " characters)");
        }
    }

    static ApiException invalidSession() {
        return new ApiException(ErrorCode.SESSION_INVALID,
                "send a live session token as 'Authorization: Bearer rgs_…' (POST /v1/accounts/session gives one)");
    }

    @Nullable
    private static String bearer(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** A successful sign-in: the token (shown once), its session, the account, and whether it was just created. */
    public record SignIn(SessionToken token, Session session, Account account, boolean accountCreated) {
    }
}
