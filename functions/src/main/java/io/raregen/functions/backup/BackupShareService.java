package io.raregen.functions.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.backup.EncryptedShare;
import io.raregen.core.envelope.EnvelopeVerifier;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.json.CanonicalJson;
import io.raregen.core.json.CanonicalJsonException;
import io.raregen.core.types.PublicKey;
import io.raregen.functions.identity.Identity;
import io.raregen.functions.identity.IdentityRegistry;
import io.raregen.functions.intake.EnvelopeReader;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Keeps at most one client-encrypted backup share per identity. Writes are envelopes signed by the identity
 * key (the same verification as registration); a write must be signed later than the last accepted one, so
 * a replay cannot undo a delete or a replacement. Reads are open: the blob is one share of several, sealed
 * under a passphrase the service never sees, and useless alone.
 */
@Singleton
public class BackupShareService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EnvelopeReader reader;
    private final IdentityRegistry identities;
    private final BackupShareStore store;

    public BackupShareService(EnvelopeReader reader, IdentityRegistry identities, BackupShareStore store) {
        this.reader = reader;
        this.identities = identities;
        this.store = store;
    }

    /** A share as the API returns it. */
    public record Stored(PublicKey key, JsonNode share, Instant storedAt) {
    }

    public Stored put(String pathPubkey, String body) {
        PublicKey key = parse(pathPubkey);
        VerifiedEnvelope envelope = signedBy(key, body, EnvelopeVerifier.TYPE_BACKUP_SHARE);
        JsonNode share = payload(envelope).get("share");
        String canonical;
        try {
            EncryptedShare.fromJson(share);
            canonical = CanonicalJson.canonicalize(JSON.writeValueAsString(share));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BACKUP_SHARE_INVALID, e.getMessage());
        } catch (CanonicalJsonException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(ErrorCode.BACKUP_SHARE_INVALID, "share is not canonical JSON");
        }
        Identity identity = identities.find(key).orElseThrow(() -> unknown(key));
        if (!identity.active()) {
            throw new ApiException(ErrorCode.IDENTITY_REVOKED, "public key " + key.hex() + " has been revoked");
        }
        return new Stored(key, share, write(key, canonical, envelope));
    }

    public Stored get(String pathPubkey) {
        PublicKey key = parse(pathPubkey);
        BackupShareStore.StoredShare stored = store.find(key).orElseThrow(() -> new ApiException(
                ErrorCode.BACKUP_SHARE_NOT_FOUND, "no backup share is stored for " + key.hex()));
        try {
            return new Stored(key, JSON.readTree(stored.shareJson()), stored.signedAt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored backup share is not JSON", e);
        }
    }

    public void delete(String pathPubkey, String body) {
        PublicKey key = parse(pathPubkey);
        VerifiedEnvelope envelope = signedBy(key, body, EnvelopeVerifier.TYPE_BACKUP_SHARE_DELETE);
        identities.find(key).orElseThrow(() -> unknown(key));
        write(key, null, envelope);
    }

    /** Returns the time the write is ordered by: createdAt at the database's precision (microseconds). */
    private Instant write(PublicKey key, String shareOrNull, VerifiedEnvelope envelope) {
        Instant signedAt = envelope.createdAt().truncatedTo(ChronoUnit.MICROS);
        if (store.write(key, shareOrNull, signedAt, envelope.nonce()) == BackupShareStore.WriteResult.STALE) {
            throw new ApiException(ErrorCode.BACKUP_SHARE_STALE, "a request signed at or after "
                    + envelope.createdAt() + " already changed the backup share of " + key.hex() + "; sign a new request");
        }
        return signedAt;
    }

    private VerifiedEnvelope signedBy(PublicKey pathKey, String body, String type) {
        VerifiedEnvelope envelope = reader.read(body, type);
        if (!envelope.publicKey().equals(pathKey)) {
            throw new ApiException(ErrorCode.PUBKEY_PATH_MISMATCH,
                    "the request is signed by " + envelope.publicKey().hex() + ", not by " + pathKey.hex());
        }
        return envelope;
    }

    private static JsonNode payload(VerifiedEnvelope envelope) {
        try {
            return JSON.readTree(envelope.envelope().signedPayload());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a verified payload is not JSON", e);
        }
    }

    private static ApiException unknown(PublicKey key) {
        return new ApiException(ErrorCode.IDENTITY_UNKNOWN, "public key " + key.hex() + " is not registered");
    }

    private static PublicKey parse(String hex) {
        try {
            // the envelope's rule: lower-case hex only
            if (!hex.equals(hex.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("upper-case hex");
            }
            return PublicKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.PUBKEY_INVALID,
                    "pubkey must be 66 lowercase hex characters of a compressed secp256k1 point");
        }
    }
}
