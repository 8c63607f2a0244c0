package io.raregen.core.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The signature on a webhook delivery, header {@value #HEADER}: {@code t=<unix seconds>,v1=<hex>} where
 * the hex is HMAC-SHA256 keyed with the webhook's secret over {@code "<t>.<body>"} (the convention Stripe
 * made common). The timestamp inside the signed text lets a receiver refuse old replays.
 */
public final class WebhookSignature {

    public static final String HEADER = "RareGen-Signature";
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in hex. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + HEX.formatHex(b);
    }

    /** The header value for this body signed at {@code at}. */
    public static String sign(String secret, byte[] body, Instant at) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HEX.formatHex(mac(secret, t, body));
    }

    /**
     * Whether the header is a valid signature of the body with this secret, made within {@code tolerance}
     * of {@code now}. Several v1 values are accepted (any one matching suffices); unknown parts are ignored.
     */
    public static boolean verify(String header, byte[] body, String secret, Duration tolerance, Instant now) {
        if (header == null || body == null || secret == null) {
            return false;
        }
        Long t = null;
        java.util.List<byte[]> sigs = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            try {
                if (k.equals("t")) {
                    t = Long.parseLong(v);
                } else if (k.equals("v1") && v.length() == 64) {
                    sigs.add(HEX.parseHex(v));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t == null || sigs.isEmpty()) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(secret, t, body);
        boolean ok = false;
        for (byte[] s : sigs) {
            ok |= MessageDigest.isEqual(expected, s);
        }
        return ok;
    }

    public static boolean verify(String header, byte[] body, String secret, Duration tolerance) {
        return verify(header, body, secret, tolerance, Instant.now());
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
