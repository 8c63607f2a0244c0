package io.raregen.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encrypted key file {@code <home>/keys.json}. Public keys are readable without the
 * passphrase (for {@code keys show}); the private keys are sealed with {@link PassphraseCipher},
 * and the public part is the cipher's associated data, so swapping a public key is detected.
 */
public final class KeyFile {

    public static final String FILE_NAME = "keys.json";
    static final String FORMAT = "raregen-keys/1";
    private static final String[] ROLES = {"identity", "financial", "tokens"};

    private final Path path;
    private final JsonNode doc;

    private KeyFile(Path path, JsonNode doc) {
        this.path = path;
        this.doc = doc;
    }

    public static Path pathIn(Path home) {
        return home.resolve(FILE_NAME);
    }

    public static boolean existsIn(Path home) {
        return Files.exists(pathIn(home));
    }

    /** Writes a new key file; refuses to overwrite an existing one unless {@code overwrite}. */
    public static KeyFile create(Path home, WalletKeys keys, char[] passphrase, int iterations, boolean overwrite)
            throws IOException {
        Path file = pathIn(home);
        if (Files.exists(file) && !overwrite) {
            throw new IOException("a key file already exists at " + file + " (use --force to replace it)");
        }
        Map<String, String> publics = new LinkedHashMap<>();
        publics.put("identity", keys.identity().publicKey().hex());
        publics.put("financial", keys.financial().publicKey().hex());
        publics.put("tokens", keys.tokens().publicKey().hex());

        ObjectNode secret = Json.MAPPER.createObjectNode();
        secret.put("identity", keys.identity().toWif(Network.MAIN));
        secret.put("financial", keys.financial().toWif(Network.MAIN));
        secret.put("tokens", keys.tokens().toWif(Network.MAIN));
        byte[] plaintext = Json.MAPPER.writeValueAsBytes(secret);
        PassphraseCipher.Sealed sealed;
        try {
            sealed = PassphraseCipher.seal(plaintext, passphrase, aad(publics), iterations);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }

        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("createdAt", Instant.now().toString());
        ObjectNode pub = doc.putObject("public");
        publics.forEach(pub::put);
        ObjectNode kdf = doc.putObject("kdf");
        kdf.put("name", PassphraseCipher.KDF);
        kdf.put("iterations", sealed.iterations());
        kdf.put("salt", b64(sealed.salt()));
        ObjectNode cipher = doc.putObject("cipher");
        cipher.put("name", PassphraseCipher.CIPHER);
        cipher.put("iv", b64(sealed.iv()));
        doc.put("ciphertext", b64(sealed.ciphertext()));

        createPrivateDirectory(home);
        Path tmp = home.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        restrict(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new KeyFile(file, doc);
    }

    public static KeyFile load(Path home) throws IOException {
        Path file = pathIn(home);
        if (!Files.exists(file)) {
            throw new IOException("no key file at " + file + " (run `raregen keys new` first)");
        }
        JsonNode doc = Json.MAPPER.readTree(file.toFile());
        if (!FORMAT.equals(doc.path("format").asText())) {
            throw new IOException(file + " is not a " + FORMAT + " key file");
        }
        return new KeyFile(file, doc);
    }

    public Path path() {
        return path;
    }

    /** Public key hex by role (identity, financial, tokens), in that order. */
    public Map<String, String> publicKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String role : ROLES) {
            m.put(role, doc.path("public").path(role).asText());
        }
        return m;
    }

    public String createdAt() {
        return doc.path("createdAt").asText();
    }

    public WalletKeys unlock(char[] passphrase) throws WrongPassphraseException, IOException {
        Map<String, String> publics = publicKeys();
        PassphraseCipher.Sealed sealed = new PassphraseCipher.Sealed(
                unb64(doc.path("kdf").path("salt").asText()),
                unb64(doc.path("cipher").path("iv").asText()),
                doc.path("kdf").path("iterations").asInt(),
                unb64(doc.path("ciphertext").asText()));
        byte[] plaintext = PassphraseCipher.open(sealed, passphrase, aad(publics));
        try {
            JsonNode secret = Json.MAPPER.readTree(plaintext);
            WalletKeys keys = new WalletKeys(
                    KeyPair.fromWif(secret.path("identity").asText()),
                    KeyPair.fromWif(secret.path("financial").asText()),
                    KeyPair.fromWif(secret.path("tokens").asText()));
            if (!keys.identity().publicKey().hex().equals(publics.get("identity"))) {
                throw new IOException("key file inconsistent: the identity key does not match its public key");
            }
            return keys;
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] aad(Map<String, String> publics) {
        return (FORMAT + "|" + String.join("|", publics.values())).getBytes(StandardCharsets.UTF_8);
    }

    private static void createPrivateDirectory(Path home) throws IOException {
        if (!Files.exists(home)) {
            Files.createDirectories(home);
            try {
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the platform's defaults apply
            }
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) throws IOException {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IOException("key file is damaged: " + e.getMessage(), e);
        }
    }
}
