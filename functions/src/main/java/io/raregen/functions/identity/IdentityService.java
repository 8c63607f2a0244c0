package io.raregen.functions.identity;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.functions.accounts.AccountService;
import io.raregen.functions.accounts.AccountStore;
import io.raregen.functions.accounts.Session;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.types.PublicKey;
import io.raregen.functions.intake.EnvelopeReader;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Registration with proof of possession, lookup, and operator revocation. */
@Singleton
public class IdentityService {

    private final EnvelopeReader reader;
    private final IdentityRegistry registry;
    private final IdentityConfiguration config;
    private final OperatorGuard operator;
    private final AccountService accountService;
    private final AccountStore accounts;

    public IdentityService(EnvelopeReader reader, IdentityRegistry registry, IdentityConfiguration config,
                           OperatorGuard operator, AccountService accountService, AccountStore accounts) {
        this.accountService = accountService;
        this.accounts = accounts;
        this.reader = reader;
        this.registry = registry;
        this.config = config;
        this.operator = operator;
    }

    public IdentityRegistry.Registration register(String body, @Nullable String authorization) {
        // a session token that is dead is refused in every mode, before anything is read or written
        Optional<Session> session = config.registrationMode() == RegistrationMode.ADMIN
                ? Optional.empty() : accountService.session(authorization);
        if (config.registrationMode() == RegistrationMode.ADMIN) {
            operator.requireOperator(authorization);
        } else if (config.registrationMode() == RegistrationMode.ACCOUNT && session.isEmpty()) {
            if (authorization == null) {
                throw new ApiException(ErrorCode.SESSION_INVALID,
                        "keys are registered by signed-in accounts: send 'Authorization: Bearer rgs_…' (POST /v1/accounts/session)");
            }
            operator.requireOperator(authorization);
        }
        VerifiedEnvelope envelope = reader.read(body, EnvelopeVerifier.TYPE_REGISTER);
        // a key another account owns exists already, so the insert below writes nothing and the bind refuses it
        IdentityRegistry.Registration registration = registry.register(envelope.publicKey());
        if (!registration.identity().active()) {
            throw new ApiException(ErrorCode.IDENTITY_REVOKED,
                    "public key " + envelope.publicKey().hex() + " was revoked and cannot be registered again");
        }
        if (session.isPresent() && accounts.bind(envelope.publicKey(), session.get().accountId()) == AccountStore.Binding.OTHER_ACCOUNT) {
            throw otherAccount(envelope.publicKey());
        }
        return registration;
    }

    private static ApiException otherAccount(PublicKey key) {
        return new ApiException(ErrorCode.IDENTITY_OTHER_ACCOUNT, "public key " + key.hex() + " belongs to another account");
    }

    public Identity find(String pubkeyHex) {
        return registry.find(parse(pubkeyHex)).orElseThrow(() -> notFound(pubkeyHex));
    }

    public Identity revoke(String pubkeyHex, @Nullable String authorization) {
        operator.requireOperator(authorization);
        return registry.revoke(parse(pubkeyHex)).orElseThrow(() -> notFound(pubkeyHex));
    }

    private static PublicKey parse(String hex) {
        try {
            // the same rule as the envelope check: lower-case hex only
            if (!hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("upper-case hex");
            }
            return PublicKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.PUBKEY_INVALID,
                    "pubkey must be 66 lowercase hex characters of a compressed secp256k1 point");
        }
    }

    private static ApiException notFound(String hex) {
        return new ApiException(ErrorCode.IDENTITY_NOT_FOUND, "no identity " + hex);
    }
}
