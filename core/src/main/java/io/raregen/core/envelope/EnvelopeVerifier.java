package io.raregen.core.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Secp256k1;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.types.PublicKey;
import org.bouncycastle.math.ec.ECPoint;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies a client envelope (docs/API.md#envelope-rejection-codes). Checks run in a fixed order so a given bad request always gets
 * the same code: size, JSON object, canonical form, pubkey, signature encoding, low S, ECDSA, type, nonce,
 * createdAt, then the type-specific fields. Thread-safe.
 */
public final class EnvelopeVerifier {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 100_000;
    public static final String TYPE_PUBLISH = "publish";
    public static final String TYPE_REGISTER = "register";
    /** Stores the identity's encrypted backup share: {type, pubkey, share, nonce, createdAt}. */
    public static final String TYPE_BACKUP_SHARE = "backup-share";
    /** Deletes the identity's stored backup share: {type, pubkey, nonce, createdAt}. */
    public static final String TYPE_BACKUP_SHARE_DELETE = "backup-share-delete";
    /** Registers a webhook: {type, pubkey, url, nonce, createdAt}. */
    public static final String TYPE_WEBHOOK_REGISTER = "webhook-register";
    /** Lists the key's webhooks: {type, pubkey, nonce, createdAt}. */
    public static final String TYPE_WEBHOOK_LIST = "webhook-list";
    /** Disables one of the key's webhooks: {type, pubkey, webhookId, nonce, createdAt}. */
    public static final String TYPE_WEBHOOK_DELETE = "webhook-delete";
    /** Moves a webhook's dead deliveries back to pending: {type, pubkey, webhookId, nonce, createdAt}. */
    public static final String TYPE_WEBHOOK_REPLAY = "webhook-replay";

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    // Decoding a compressed key costs a field square root; registered keys repeat, so keep a bounded cache.
    private static final int KEY_CACHE_LIMIT = 10_000;

    private final Clock clock;
    private final Duration ttl;
    private final int maxPayloadBytes;
    private final ConcurrentHashMap<String, DecodedKey> keyCache = new ConcurrentHashMap<>();

    public EnvelopeVerifier(Clock clock, Duration ttl, int maxPayloadBytes) {
        if (clock == null || ttl == null || ttl.isNegative() || maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("clock, non-negative ttl and positive maxPayloadBytes required");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** System UTC clock, 5 minutes TTL, 100,000 bytes. */
    public EnvelopeVerifier() {
        this(Clock.systemUTC(), DEFAULT_TTL, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public VerifiedEnvelope verify(Envelope e, String expectedType) throws EnvelopeException {
        return verify(e, expectedType, true);
    }

    /**
     * Every check except the createdAt window (EXPIRED / NOT_YET_VALID): for records read back from the chain,
     * where the TTL applied at intake and the question is only who signed what.
     */
    public VerifiedEnvelope verifyWithoutFreshness(Envelope e, String expectedType) throws EnvelopeException {
        return verify(e, expectedType, false);
    }

    private VerifiedEnvelope verify(Envelope e, String expectedType, boolean checkFreshness) throws EnvelopeException {
        if (e == null) {
            throw new EnvelopeException(RejectionCode.MALFORMED_JSON, "no envelope");
        }
        String payload = e.signedPayload();

        // 1. size (a char is at least one UTF-8 byte, so the length test short-cuts huge strings)
        if (payload.length() > maxPayloadBytes) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_TOO_LARGE,
                    "signedPayload exceeds " + maxPayloadBytes + " bytes");
        }
        byte[] payloadBytes = strictUtf8(payload);
        if (payloadBytes.length > maxPayloadBytes) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_TOO_LARGE,
                    "signedPayload is " + payloadBytes.length + " bytes, more than " + maxPayloadBytes);
        }

        // 2. JSON object
        JsonNode root;
        try {
            root = Envelope.STRICT_JSON.readTree(payload);
        } catch (Exception | StackOverflowError ex) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_JSON);
        }
        if (root == null || root.isMissingNode()) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_JSON);
        }
        if (!root.isObject()) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_OBJECT);
        }
        // an escaped lone surrogate (backslash-u D800) parses, but it is no Unicode text: not I-JSON (RFC 7493), so not
        // RFC 8785 input either, and no UTF-8 form exists for it on chain
        if (holdsLoneSurrogate(root)) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_JSON, "signedPayload holds an unpaired surrogate escape");
        }

        // 3. canonical
        String canonical;
        try {
            canonical = CanonicalJson.canonicalize(payload);
        } catch (CanonicalJsonException ex) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_JSON, "signedPayload cannot be canonicalised");
        }
        if (!canonical.equals(payload)) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_CANONICAL);
        }

        // 4. public key
        DecodedKey key = decodeKey(e.pubkey());

        // 5-7. signature
        byte[] der;
        try {
            der = Base64.getDecoder().decode(e.signature());
        } catch (IllegalArgumentException ex) {
            throw new EnvelopeException(RejectionCode.SIGNATURE_MALFORMED, "signature is not base64");
        }
        // exactly one textual form per signature keeps the on-chain copy byte-identical to what was received
        if (!Base64.getEncoder().encodeToString(der).equals(e.signature())) {
            throw new EnvelopeException(RejectionCode.SIGNATURE_MALFORMED, "signature is not canonical padded base64");
        }
        Secp256k1.Rs rs = Secp256k1.parseDer(der);
        if (rs == null) {
            throw new EnvelopeException(RejectionCode.SIGNATURE_MALFORMED, "signature is not strict DER");
        }
        if (!rs.isLowS()) {
            throw new EnvelopeException(RejectionCode.SIGNATURE_HIGH_S);
        }
        byte[] hash = Hashes.sha256(payloadBytes);
        if (!Secp256k1.verify(hash, rs, key.point())) {
            throw new EnvelopeException(RejectionCode.SIGNATURE_INVALID);
        }

        // 8. type
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || !type.textValue().equals(expectedType)) {
            throw new EnvelopeException(RejectionCode.TYPE_MISMATCH, "payload type must be \"" + expectedType + "\"");
        }

        // 9. nonce
        JsonNode nonce = root.get("nonce");
        if (nonce == null || !nonce.isTextual() || !NONCE.matcher(nonce.textValue()).matches()) {
            throw new EnvelopeException(RejectionCode.NONCE_INVALID);
        }

        // 10. createdAt
        Instant createdAt = parseCreatedAt(root.get("createdAt"));
        Instant now = clock.instant();
        if (checkFreshness && createdAt.isBefore(now.minus(ttl))) {
            throw new EnvelopeException(RejectionCode.EXPIRED,
                    "createdAt " + createdAt + " is more than " + ttl.toSeconds() + " s old");
        }
        if (checkFreshness && createdAt.isAfter(now.plus(ttl))) {
            throw new EnvelopeException(RejectionCode.NOT_YET_VALID,
                    "createdAt " + createdAt + " is more than " + ttl.toSeconds() + " s ahead");
        }

        // 11. type-specific
        if (TYPE_REGISTER.equals(expectedType) || TYPE_BACKUP_SHARE.equals(expectedType)
                || TYPE_BACKUP_SHARE_DELETE.equals(expectedType) || expectedType.startsWith("webhook-")) {
            JsonNode pk = root.get("pubkey");
            if (pk == null || !pk.isTextual() || !pk.textValue().equals(e.pubkey())) {
                throw new EnvelopeException(RejectionCode.PUBKEY_MISMATCH);
            }
        }
        if (TYPE_PUBLISH.equals(expectedType)) {
            JsonNode record = root.get("record");
            if (record == null || record.isNull()) {
                throw new EnvelopeException(RejectionCode.RECORD_MISSING);
            }
        }
        Optional<String> recordId = Optional.empty();
        JsonNode rid = root.get("recordId");
        if (rid != null) {
            if (!rid.isTextual() || rid.textValue().isEmpty() || rid.textValue().length() > 256) {
                throw new EnvelopeException(RejectionCode.RECORD_ID_INVALID);
            }
            recordId = Optional.of(rid.textValue());
        }
        return new VerifiedEnvelope(e, key.publicKey(), type.textValue(), nonce.textValue(),
                createdAt, recordId, hash);
    }

    private record DecodedKey(PublicKey publicKey, ECPoint point) {
    }

    private DecodedKey decodeKey(String hex) throws EnvelopeException {
        DecodedKey cached = keyCache.get(hex);
        if (cached != null) {
            return cached;
        }
        if (!Hex.isLowerHex(hex, 66)) {
            throw new EnvelopeException(RejectionCode.PUBKEY_INVALID);
        }
        DecodedKey k;
        try {
            byte[] bytes = Hex.decode(hex);
            ECPoint p = Secp256k1.decodeCompressed(bytes);
            k = new DecodedKey(new PublicKey(bytes), p);
        } catch (IllegalArgumentException ex) {
            throw new EnvelopeException(RejectionCode.PUBKEY_INVALID);
        }
        if (keyCache.size() >= KEY_CACHE_LIMIT) {
            keyCache.clear();
        }
        keyCache.put(hex, k);
        return k;
    }

    private static Instant parseCreatedAt(JsonNode n) throws EnvelopeException {
        if (n == null || !n.isTextual() || !RFC3339.matcher(n.textValue()).matches()) {
            throw new EnvelopeException(RejectionCode.CREATED_AT_INVALID);
        }
        try {
            return OffsetDateTime.parse(n.textValue()).toInstant();
        } catch (DateTimeParseException ex) {
            throw new EnvelopeException(RejectionCode.CREATED_AT_INVALID);
        }
    }

    private static boolean holdsLoneSurrogate(JsonNode n) {
        if (n.isTextual()) {
            return hasLoneSurrogate(n.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (hasLoneSurrogate(e.getKey()) || holdsLoneSurrogate(e.getValue())) {
                return true;
            }
        }
        if (n.isArray()) {
            for (JsonNode item : n) {
                if (holdsLoneSurrogate(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] strictUtf8(String s) throws EnvelopeException {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException ex) {
            throw new EnvelopeException(RejectionCode.PAYLOAD_NOT_JSON, "signedPayload holds an unpaired surrogate");
        }
    }
}
