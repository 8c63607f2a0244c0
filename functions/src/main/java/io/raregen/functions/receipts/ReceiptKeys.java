package io.raregen.functions.receipts;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.receipt.ReceiptSignatures;
import io.raregen.core.types.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The current receipt key (which signs) and every published key (current and retired) with its validity.
 * Built with the context, so a missing or malformed key stops the start (on Lambda: the init phase)
 * instead of failing the first publish.
 */
@Context
public class ReceiptKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptKeys.class);

    /** A published receipt key; {@code validTo} is null for the current one. */
    public record Published(String keyId, PublicKey publicKey, Instant validFrom, Instant validTo, boolean current) {
    }

    private final String serviceName;
    private final KeyPair signing;
    private final String keyId;
    private final List<Published> published;
    private final boolean ephemeral;

    public ReceiptKeys(ReceiptConfiguration config) {
        this.serviceName = config.serviceName();
        String secret = config.signingKey();
        if (secret == null || secret.isBlank()) {
            if (config.requireKey()) {
                throw new ConfigurationException("raregen.receipts.signing-key is required (raregen.receipts.require-key is true)");
            }
            this.signing = KeyPair.generate();
            this.ephemeral = true;
        } else {
            String s = secret.strip();
            try {
                this.signing = s.matches("[0-9a-fA-F]{64}") ? KeyPair.fromPrivateKeyHex(s.toLowerCase()) : KeyPair.fromWif(s);
            } catch (RuntimeException e) {
                // the message of a key parser may quote the secret: keep only the type
                throw new ConfigurationException("raregen.receipts.signing-key is neither a valid WIF nor 64 hex characters ("
                        + e.getClass().getSimpleName() + ")");
            }
            this.ephemeral = false;
        }
        this.keyId = ReceiptSignatures.keyId(signing.publicKey());
        List<Published> keys = new ArrayList<>();
        keys.add(new Published(keyId, signing.publicKey(), config.validFrom(), null, true));
        for (String entry : config.retiredKeys() == null ? List.<String>of() : config.retiredKeys()) {
            keys.add(parseRetired(entry.strip()));
        }
        this.published = List.copyOf(keys);
        if (ephemeral) {
            LOG.warn("no raregen.receipts.signing-key: receipts are signed with an ephemeral key {} that dies with this process",
                    keyId);
        } else {
            LOG.info("receipt key {} ({}), {} retired key(s) published", keyId, signing.publicKey().hex(), keys.size() - 1);
        }
    }

    private static Published parseRetired(String entry) {
        String[] parts = entry.split("/");
        if (parts.length != 3) {
            throw new ConfigurationException("raregen.receipts.retired-keys entry '" + entry + "' is not PUBKEYHEX/VALID_FROM/VALID_TO");
        }
        try {
            PublicKey key = PublicKey.fromHex(parts[0].toLowerCase());
            Instant from = Instant.parse(parts[1]);
            Instant to = Instant.parse(parts[2]);
            if (!to.isAfter(from)) {
                throw new ConfigurationException("raregen.receipts.retired-keys entry for " + parts[0] + " ends before it starts");
            }
            return new Published(ReceiptSignatures.keyId(key), key, from, to, false);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ConfigurationException("raregen.receipts.retired-keys entry '" + entry + "': " + e.getMessage());
        }
    }

    public String serviceName() {
        return serviceName;
    }

    public KeyPair signingKey() {
        return signing;
    }

    public String keyId() {
        return keyId;
    }

    public boolean ephemeral() {
        return ephemeral;
    }

    public List<Published> published() {
        return published;
    }
}
