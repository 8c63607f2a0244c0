package io.raregen.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds signed client envelopes the way a client would (core's Payloads + EnvelopeSigner). */
public final class Envelopes {

    private static final AtomicLong SEQ = new AtomicLong();

    private Envelopes() {
    }

    public static String nonce() {
        return "n-" + UUID.randomUUID() + "-" + SEQ.incrementAndGet();
    }

    public static String publishPayload(String nonce, Instant createdAt) {
        ObjectNode record = LambdaTransport.JSON.createObjectNode();
        record.put("title", "hello");
        record.put("seq", SEQ.incrementAndGet());
        return Payloads.publish(record, nonce, createdAt, null);
    }

    public static String publishPayload(JsonNode record, String nonce, Instant createdAt, String recordId) {
        return Payloads.publish(record, nonce, createdAt, recordId);
    }

    public static Envelope publish(KeyPair key) {
        return EnvelopeSigner.sign(publishPayload(nonce(), Instant.now()), key);
    }

    public static Envelope publish(KeyPair key, String nonce) {
        return EnvelopeSigner.sign(publishPayload(nonce, Instant.now()), key);
    }

    public static Envelope register(KeyPair key) {
        return EnvelopeSigner.sign(Payloads.register(key.publicKey(), nonce(), Instant.now()), key);
    }

    /** Signs an arbitrary payload string as given (it may be non-canonical on purpose). */
    public static Envelope signRaw(String payload, KeyPair key) {
        return EnvelopeSigner.sign(payload, key);
    }

    /** The request body for an envelope. */
    public static String body(Envelope e) {
        return e.toJson();
    }

    /** A body with the three fields given verbatim as JSON values (for type errors). */
    public static String bodyOf(Map<String, String> rawJsonFields) {
        StringBuilder sb = new StringBuilder("{");
        rawJsonFields.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(k).append("\":").append(v);
        });
        return sb.append('}').toString();
    }

    public static String quote(String s) {
        try {
            return LambdaTransport.JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
