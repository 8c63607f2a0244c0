package io.raregen.core.webhooks;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"id\":\"1-2\",\"type\":\"job.sent\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant AT = Instant.ofEpochSecond(1_800_000_000L);
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    @Test
    void header_isHmacOfTimestampDotBody() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec_test".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("1800000000." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        assertEquals("t=1800000000,v1=" + expected, WebhookSignature.sign("whsec_test", BODY, AT));
    }

    @Test
    void verify_acceptsOwnSignature_andRejectsTampering() {
        String h = WebhookSignature.sign("whsec_test", BODY, AT);
        assertTrue(WebhookSignature.verify(h, BODY, "whsec_test", FIVE_MIN, AT.plusSeconds(60)));
        byte[] changed = BODY.clone();
        changed[5] ^= 1;
        assertFalse(WebhookSignature.verify(h, changed, "whsec_test", FIVE_MIN, AT));
        assertFalse(WebhookSignature.verify(h, BODY, "whsec_other", FIVE_MIN, AT));
        assertFalse(WebhookSignature.verify(h.replace("t=1800000000", "t=1800000001"), BODY, "whsec_test", FIVE_MIN, AT));
    }

    @Test
    void verify_rejectsOutsideTolerance() {
        String h = WebhookSignature.sign("whsec_test", BODY, AT);
        assertFalse(WebhookSignature.verify(h, BODY, "whsec_test", FIVE_MIN, AT.plus(Duration.ofMinutes(6))));
        assertFalse(WebhookSignature.verify(h, BODY, "whsec_test", FIVE_MIN, AT.minus(Duration.ofMinutes(6))));
    }

    @Test
    void verify_rejectsGarbageHeaders() {
        for (String h : new String[] {null, "", "t=1800000000", "v1=00", "t=abc,v1=" + "0".repeat(64), "t=1800000000,v1=zz" + "0".repeat(62), "nonsense"}) {
            assertFalse(WebhookSignature.verify(h, BODY, "whsec_test", FIVE_MIN, AT), String.valueOf(h));
        }
    }

    @Test
    void verify_acceptsAnyOfSeveralV1() {
        String h = WebhookSignature.sign("whsec_test", BODY, AT);
        String withOld = h + ",v1=" + "0".repeat(64);
        assertTrue(WebhookSignature.verify(withOld, BODY, "whsec_test", FIVE_MIN, AT));
    }

    @Test
    void newSecret_isRandomAndPrefixed() {
        String a = WebhookSignature.newSecret();
        assertTrue(a.matches("whsec_[0-9a-f]{64}"));
        assertFalse(a.equals(WebhookSignature.newSecret()));
    }
}
