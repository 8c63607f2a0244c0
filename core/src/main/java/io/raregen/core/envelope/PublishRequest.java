package io.raregen.core.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * The body of {@code POST /v1/publish}: the client envelope and, optionally, the service option {@code "mode"}
 * ({@code "record"}, the default, or {@code "anchor"}). The mode is not covered by the signature and is not part
 * of the record: the envelope is the three strings exactly as sent, whatever the mode.
 */
public record PublishRequest(Envelope envelope, PublishMode mode) {
    public static final String MODE_FIELD = "mode";

    public PublishRequest {
        if (envelope == null || mode == null) {
            throw new IllegalArgumentException("a publish request needs an envelope and a mode");
        }
    }

    /**
     * Parses a publish body: the envelope's checks ({@link Envelope#parseJson}), with {@code mode} allowed beside
     * the three fields; a mode that is not the string {@code "record"} or {@code "anchor"} is {@code MODE_INVALID}.
     */
    public static PublishRequest parseJson(String body) throws EnvelopeException {
        ObjectNode obj = Envelope.readObject(body);
        Envelope envelope = Envelope.fromObject(obj, Set.of(MODE_FIELD));
        JsonNode m = obj.get(MODE_FIELD);
        if (m == null) {
            return new PublishRequest(envelope, PublishMode.RECORD);
        }
        if (!m.isTextual()) {
            throw new EnvelopeException(RejectionCode.MODE_INVALID, "mode must be the string \"record\" or \"anchor\"");
        }
        return new PublishRequest(envelope, PublishMode.fromWire(m.textValue()).orElseThrow(() -> new EnvelopeException(
                RejectionCode.MODE_INVALID, "mode must be \"record\" or \"anchor\", not \"" + Envelope.truncate(m.textValue()) + "\"")));
    }
}
