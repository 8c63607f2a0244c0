package io.raregen.functions.intake;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.PublishRequest;
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

    /** A publish body: the envelope verified as a {@code publish} and the service option {@code mode}. */
    public Publish readPublish(String body) {
        try {
            PublishRequest request = PublishRequest.parseJson(body);
            return new Publish(verifier.verify(request.envelope(), EnvelopeVerifier.TYPE_PUBLISH), request.mode());
        } catch (EnvelopeException e) {
            throw ApiException.rejected(e);
        }
    }

    /** A verified publish envelope and how it is to be published. */
    public record Publish(VerifiedEnvelope envelope, PublishMode mode) {
    }

    public VerifiedEnvelope read(String body, String expectedType) {
        try {
            return verifier.verify(Envelope.parseJson(body), expectedType);
        } catch (EnvelopeException e) {
            throw ApiException.rejected(e);
        }
    }
}
