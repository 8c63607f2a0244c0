package io.raregen.functions.identity;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.types.PublicKey;
import io.raregen.functions.intake.EnvelopeReader;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.OperatorGuard;
import jakarta.inject.Singleton;

/** Registration with proof of possession, lookup, and operator revocation. */
@Singleton
public class IdentityService {

    private final EnvelopeReader reader;
    private final IdentityRegistry registry;
    private final IdentityConfiguration config;
    private final OperatorGuard operator;

    public IdentityService(EnvelopeReader reader, IdentityRegistry registry, IdentityConfiguration config,
                           OperatorGuard operator) {
        this.reader = reader;
        this.registry = registry;
        this.config = config;
        this.operator = operator;
    }

    public IdentityRegistry.Registration register(String body, @Nullable String authorization) {
        if (config.registrationMode() == RegistrationMode.ADMIN) {
            operator.requireOperator(authorization);
        }
        VerifiedEnvelope envelope = reader.read(body, EnvelopeVerifier.TYPE_REGISTER);
        IdentityRegistry.Registration registration = registry.register(envelope.publicKey());
        if (!registration.identity().active()) {
            throw new ApiException(ErrorCode.IDENTITY_REVOKED,
                    "public key " + envelope.publicKey().hex() + " was revoked and cannot be registered again");
        }
        return registration;
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
