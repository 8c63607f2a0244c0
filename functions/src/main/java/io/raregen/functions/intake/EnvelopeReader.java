package io.raregen.functions.intake;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeException;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.functions.web.ApiException;
import jakarta.inject.Singleton;

/** Parses and verifies a request body as a client envelope, turning rejections into API errors. */
@Singleton
public class EnvelopeReader {

    private final EnvelopeVerifier verifier;

    public EnvelopeReader(EnvelopeVerifier verifier) {
        this.verifier = verifier;
    }

    public VerifiedEnvelope read(String body, String expectedType) {
        try {
            return verifier.verify(Envelope.parseJson(body), expectedType);
        } catch (EnvelopeException e) {
            throw ApiException.rejected(e);
        }
    }
}
