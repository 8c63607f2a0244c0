package io.raregen.core.envelope;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublishRequestTest {
    private static final String FIELDS = "\"signedPayload\":\"{}\",\"signature\":\"x\",\"pubkey\":\"y\"";

    private static RejectionCode rejected(String body) {
        return assertThrows(EnvelopeException.class, () -> PublishRequest.parseJson(body)).code();
    }

    @Test
    void modeIsOptionalAndDefaultsToRecord() throws Exception {
        PublishRequest r = PublishRequest.parseJson("{" + FIELDS + "}");
        assertEquals(PublishMode.RECORD, r.mode());
        assertEquals(new Envelope("{}", "x", "y"), r.envelope());
    }

    @Test
    void recordAndAnchorAreAccepted_andTheEnvelopeIsTheSameEitherWay() throws Exception {
        assertEquals(PublishMode.RECORD, PublishRequest.parseJson("{" + FIELDS + ",\"mode\":\"record\"}").mode());
        PublishRequest a = PublishRequest.parseJson("{\"mode\":\"anchor\"," + FIELDS + "}");
        assertEquals(PublishMode.ANCHOR, a.mode());
        assertEquals(new Envelope("{}", "x", "y"), a.envelope());
    }

    @Test
    void anyOtherModeIsModeInvalid() {
        assertEquals(RejectionCode.MODE_INVALID, rejected("{" + FIELDS + ",\"mode\":\"Anchor\"}"));
        assertEquals(RejectionCode.MODE_INVALID, rejected("{" + FIELDS + ",\"mode\":\"\"}"));
        assertEquals(RejectionCode.MODE_INVALID, rejected("{" + FIELDS + ",\"mode\":null}"));
        assertEquals(RejectionCode.MODE_INVALID, rejected("{" + FIELDS + ",\"mode\":1}"));
        assertEquals(RejectionCode.MODE_INVALID, rejected("{" + FIELDS + ",\"mode\":[\"anchor\"]}"));
    }

    @Test
    void envelopeChecksComeFirst_andOtherFieldsStayUnknown() {
        assertEquals(RejectionCode.MALFORMED_JSON, rejected("{" + FIELDS + ",\"mode\":\"anchor\",\"mode\":\"record\"}"));
        assertEquals(RejectionCode.UNKNOWN_FIELD, rejected("{" + FIELDS + ",\"mode\":\"anchor\",\"extra\":1}"));
        assertEquals(RejectionCode.MISSING_FIELD, rejected("{\"mode\":\"bad\",\"signedPayload\":\"{}\"}"));
    }

    @Test
    void theEnvelopeParserItselfStillRejectsMode() {
        assertEquals(RejectionCode.UNKNOWN_FIELD, assertThrows(EnvelopeException.class,
                () -> Envelope.parseJson("{" + FIELDS + ",\"mode\":\"anchor\"}")).code());
    }
}
