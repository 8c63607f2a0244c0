package io.raregen.broadcaster.keys;

import io.micronaut.context.annotation.Value;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Service keys from configuration ({@code raregen.keys.pool-wif}, {@code raregen.keys.funding-wif}); the
 * funding key defaults to the pool key. With {@code generate-if-missing} (local runs, never main net) the
 * keys are loaded from, or generated into, a key file readable only by its owner.
 */
@Singleton
public class ConfiguredServiceKeys implements ServiceKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredServiceKeys.class);

    private final KeyPair pool;
    private final KeyPair funding;
    private final Network network;

    @Inject
    public ConfiguredServiceKeys(KeySettings settings, @Value("${raregen.network:regtest}") String network) {
        this.network = Network.parse(network);
        KeySettings effective = settings;
        if (isBlank(settings.getPoolWif())) {
            if (!settings.isGenerateIfMissing()) {
                throw new IllegalStateException("KEYS_MISSING: set raregen.keys.pool-wif (RAREGEN_KEYS_POOL_WIF), "
                        + "or raregen.keys.generate-if-missing=true for a local run");
            }
            if (this.network == Network.MAIN) {
                throw new IllegalStateException("KEYS_GENERATION_REFUSED: generated keys are for local runs only, "
                        + "not for raregen.network=main");
            }
            effective = loadOrGenerate(Path.of(settings.getKeyFile()), settings);
        }
        this.pool = parse(effective.getPoolWif(), "raregen.keys.pool-wif");
        this.funding = isBlank(effective.getFundingWif()) ? pool
                : parse(effective.getFundingWif(), "raregen.keys.funding-wif");
        LOG.info("service keys loaded: pool address {}, funding address {}", pool.address(this.network),
                funding.address(this.network));
    }

    /** For tests and tools. */
    public ConfiguredServiceKeys(KeyPair pool, KeyPair funding, Network network) {
        this.pool = pool;
        this.funding = funding;
        this.network = network;
    }

    @Override
    public KeyPair poolKey() {
        return pool;
    }

    @Override
    public KeyPair fundingKey() {
        return funding;
    }

    public Network network() {
        return network;
    }

    private static KeyPair parse(String wif, String property) {
        try {
            return KeyPair.fromWif(wif.trim());
        } catch (IllegalArgumentException e) {
            // the message of fromWif never contains the key itself
            throw new IllegalStateException("KEYS_INVALID: " + property + " is not a valid WIF: " + e.getMessage());
        }
    }

    private KeySettings loadOrGenerate(Path file, KeySettings settings) {
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
            } else {
                p.setProperty("pool-wif", KeyPair.generate().toWif(network));
                p.setProperty("funding-wif", isBlank(settings.getFundingWif())
                        ? KeyPair.generate().toWif(network) : settings.getFundingWif());
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the file still holds only local test keys
                }
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                    p.store(out, "RareGen local service keys (generated; never use on main net)");
                }
                LOG.warn("generated new local service keys in {}", file.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("KEYS_FILE_UNREADABLE: " + file + ": " + e.getMessage(), e);
        }
        KeySettings loaded = new KeySettings();
        loaded.setPoolWif(p.getProperty("pool-wif"));
        loaded.setFundingWif(p.getProperty("funding-wif"));
        return loaded;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "ConfiguredServiceKeys[pool=" + pool.publicKey().hex() + ", funding=" + funding.publicKey().hex() + "]";
    }
}
