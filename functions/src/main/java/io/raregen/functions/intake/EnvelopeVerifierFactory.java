package io.raregen.functions.intake;

import io.micronaut.context.annotation.Factory;
import io.raregen.core.envelope.EnvelopeVerifier;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The core verifier, configured from {@link IntakeConfiguration}. */
@Factory
public class EnvelopeVerifierFactory {

    @Singleton
    EnvelopeVerifier envelopeVerifier(IntakeConfiguration config) {
        return new EnvelopeVerifier(Clock.systemUTC(), config.ttl(), config.maxPayloadBytes());
    }
}
