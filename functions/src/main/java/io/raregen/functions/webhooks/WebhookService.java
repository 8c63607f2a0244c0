package io.raregen.functions.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.types.PublicKey;
import io.raregen.core.webhooks.WebhookSignature;
import io.raregen.core.webhooks.WebhookUrl;
import io.raregen.functions.identity.Identity;
import io.raregen.functions.identity.IdentityRegistry;
import io.raregen.functions.intake.EnvelopeReader;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Registration and management of webhooks (docs/WEBHOOKS.md). Every request that changes something or
 * shows a webhook's URL is an envelope signed by the identity key; the secret is shown once, at
 * registration. Delivery itself runs in the broadcaster.
 */
@Singleton
public class WebhookService {
    /** Active webhooks one key may have. */
    public static final int MAX_ACTIVE_PER_KEY = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EnvelopeReader reader;
    private final IdentityRegistry identities;
    private final DataSource ds;
    private final boolean allowLoopbackHttp;

    public WebhookService(EnvelopeReader reader, IdentityRegistry identities, DataSource ds,
                          @Value("${raregen.webhooks.allow-loopback-http:false}") boolean allowLoopbackHttp) {
        this.reader = reader;
        this.identities = identities;
        this.ds = ds;
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    public record Registered(UUID id, String url, String secret, Instant createdAt) {
    }

    public record Listed(UUID id, String url, Instant createdAt, Instant disabledAt, String disabledReason, long dead) {
    }

    public record DeadLetter(long id, String eventId, String jobId, int attempts, Integer lastStatusCode, String lastError,
                             Instant firstAttemptAt, String body) {
    }

    public Registered register(String body) {
        VerifiedEnvelope env = reader.read(body, EnvelopeVerifier.TYPE_WEBHOOK_REGISTER);
        JsonNode url = payload(env).get("url");
        WebhookUrl valid;
        try {
            valid = WebhookUrl.validate(url == null || !url.isTextual() ? null : url.textValue(), allowLoopbackHttp,
                    WebhookUrl.Resolver.SYSTEM);
        } catch (WebhookUrl.Rejected e) {
            throw new ApiException(switch (e.refusal()) {
                case INVALID -> ErrorCode.WEBHOOK_URL_INVALID;
                case NOT_HTTPS -> ErrorCode.WEBHOOK_URL_NOT_HTTPS;
                case FORBIDDEN -> ErrorCode.WEBHOOK_URL_FORBIDDEN;
            }, e.getMessage());
        }
        PublicKey key = active(env.publicKey());
        UUID id = UUID.randomUUID();
        String secret = WebhookSignature.newSecret();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Serialises registrations of one key, so the limit holds under concurrent requests.
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('webhooks:' || ?))")) {
                    ps.setString(1, key.hex());
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM webhooks WHERE pubkey = ? AND disabled_at IS NULL")) {
                    ps.setString(1, key.hex());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= MAX_ACTIVE_PER_KEY) {
                            throw new ApiException(ErrorCode.WEBHOOK_LIMIT,
                                    "a key may have at most " + MAX_ACTIVE_PER_KEY + " active webhooks; delete one first");
                        }
                    }
                }
                Instant created;
                // one webhook per signed request: the same envelope again (a replay, a retry) writes nothing
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO webhooks (id, pubkey, url, secret, register_nonce) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (pubkey, register_nonce) DO NOTHING RETURNING created_at""")) {
                    ps.setObject(1, id);
                    ps.setString(2, key.hex());
                    ps.setString(3, valid.toString());
                    ps.setString(4, secret);
                    ps.setString(5, env.nonce());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new ApiException(ErrorCode.NONCE_REUSED,
                                    "this signed registration was already used (a webhook exists for it); sign a new one with a fresh nonce");
                        }
                        created = rs.getTimestamp(1).toInstant();
                    }
                }
                c.commit();
                return new Registered(id, valid.toString(), secret, created);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("webhook registration failed", e);
        }
    }

    public List<Listed> list(String body) {
        VerifiedEnvelope env = reader.read(body, EnvelopeVerifier.TYPE_WEBHOOK_LIST);
        PublicKey key = known(env.publicKey());
        List<Listed> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT w.id, w.url, w.created_at, w.disabled_at, w.disabled_reason,
                       (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'dead')
                FROM webhooks w WHERE w.pubkey = ? ORDER BY w.created_at, w.id""")) {
            ps.setString(1, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp dis = rs.getTimestamp(4);
                    out.add(new Listed((UUID) rs.getObject(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            dis == null ? null : dis.toInstant(), rs.getString(5), rs.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("webhook list failed", e);
        }
        return out;
    }

    /** Disables the webhook (kept, with its dead letters); a repeated request is a harmless retry. */
    public void delete(String pathId, String body) {
        UUID id = authorized(pathId, body, EnvelopeVerifier.TYPE_WEBHOOK_DELETE);
        exec("UPDATE webhooks SET disabled_at = now(), disabled_reason = 'deleted by its key' "
                + "WHERE id = ? AND disabled_at IS NULL", id);
    }

    /** Moves dead deliveries back to pending, attempts reset; returns how many. */
    public int replay(String pathId, String body) {
        UUID id = authorized(pathId, body, EnvelopeVerifier.TYPE_WEBHOOK_REPLAY);
        return exec("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, first_attempt_at = NULL, "
                + "next_attempt_at = now(), last_error = NULL, last_status_code = NULL "
                + "WHERE webhook_id = ? AND status = 'dead'", id);
    }

    /** The path's webhook id, once the body is a valid envelope of this type by a known key that owns that webhook. */
    private UUID authorized(String pathId, String body, String type) {
        UUID id = parseId(pathId);
        VerifiedEnvelope env = reader.read(body, type);
        PublicKey key = known(env.publicKey());
        requireSameId(env, id);
        owned(id, key);
        return id;
    }

    /**
     * The dead letters of a webhook, oldest first. Open like GET /v1/jobs/{id}: the id is an unguessable
     * UUID known only to its key, and the bodies hold only what the job status already shows.
     */
    public List<DeadLetter> deadLetters(String pathId, int limit) {
        UUID id = parseId(pathId);
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhooks WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(id);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, event_id, job_id, attempts, last_status_code, last_error, first_attempt_at, body
                    FROM webhook_deliveries WHERE webhook_id = ? AND status = 'dead' ORDER BY id LIMIT ?""")) {
                ps.setObject(1, id);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp first = rs.getTimestamp(7);
                        out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                (Integer) rs.getObject(5), rs.getString(6), first == null ? null : first.toInstant(),
                                new String(rs.getBytes(8), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("dead letters failed", e);
        }
        return out;
    }

    private void requireSameId(VerifiedEnvelope env, UUID id) {
        JsonNode w = payload(env).get("webhookId");
        if (w == null || !w.isTextual() || !w.textValue().equals(id.toString())) {
            throw new ApiException(ErrorCode.WEBHOOK_ID_INVALID, "the signed payload's webhookId must be the path's id");
        }
    }

    private void owned(UUID id, PublicKey key) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhooks WHERE id = ? AND pubkey = ?")) {
            ps.setObject(1, id);
            ps.setString(2, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
            }
        } catch (SQLException e) {
            throw new StorageException("webhook lookup failed", e);
        }
    }

    private int exec(String sql, UUID id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("webhook update failed", e);
        }
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(ErrorCode.WEBHOOK_NOT_FOUND, "no webhook " + id + " for this key");
    }

    static UUID parseId(String s) {
        try {
            UUID id = UUID.fromString(s);
            if (!id.toString().equals(s)) {
                throw new IllegalArgumentException("not canonical");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.WEBHOOK_ID_INVALID, "a webhook id is a UUID in lower-case canonical form");
        }
    }

    private PublicKey known(PublicKey key) {
        identities.find(key).orElseThrow(() -> new ApiException(ErrorCode.IDENTITY_UNKNOWN,
                "public key " + key.hex() + " is not registered"));
        return key;
    }

    private PublicKey active(PublicKey key) {
        Identity identity = identities.find(key).orElseThrow(() -> new ApiException(ErrorCode.IDENTITY_UNKNOWN,
                "public key " + key.hex() + " is not registered"));
        if (!identity.active()) {
            throw new ApiException(ErrorCode.IDENTITY_REVOKED, "public key " + key.hex() + " has been revoked");
        }
        return key;
    }

    private static JsonNode payload(VerifiedEnvelope envelope) {
        try {
            return JSON.readTree(envelope.envelope().signedPayload());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a verified payload is not JSON", e);
        }
    }
}
