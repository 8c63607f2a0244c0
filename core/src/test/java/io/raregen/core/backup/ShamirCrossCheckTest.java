package io.raregen.core.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.raregen.core.backup.BackupVectors.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java against the audited npm package {@code shamir-secret-sharing} 0.0.4 and the browser-side share format
 * (the web app's web/src/lib/backup.js, WebCrypto only): the package reproduces the committed vectors, shares split
 * in Java combine in JavaScript and the other way round, both sides refuse a misused set with the same code,
 * and a share sealed under a passphrase by WebCrypto opens with the JDK's PBKDF2 + AES-GCM and vice versa.
 * One Node run serves all tests.
 */
class ShamirCrossCheckTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final int ITERATIONS = EncryptedShare.MIN_ITERATIONS;
    static final String PASSPHRASE = "correct horse battery staple";
    static final Map<String, byte[]> JAVA_SECRETS = new HashMap<>();
    static final Map<String, KeyPair> KEYS = new HashMap<>();
    static final Map<String, String> RECOVER_EXPECT = new HashMap<>();
    static final Map<String, String> SEALED_TEXT = new HashMap<>();
    static JsonNode result;
    static String sealPubkey;

    @BeforeAll
    static void runNodeOnce(@TempDir Path tmp) throws Exception {
        ObjectNode in = JSON.createObjectNode();
        ArrayNode vectors = in.putArray("vectors");
        BackupVectors.vectors().forEach(v -> vectors.add(((ObjectNode) v.deepCopy()).without("expected")));

        ArrayNode combine = in.putArray("combine");
        int[][] shapes = {{1, 2, 2}, {16, 3, 2}, {32, 5, 3}, {33, 5, 5}, {64, 10, 4}, {32, 255, 3}, {100, 7, 7}};
        for (int[] shape : shapes) {
            byte[] secret = new byte[shape[0]];
            RANDOM.nextBytes(secret);
            List<byte[]> shares = Shamir.split(secret, shape[1], shape[2], RANDOM);
            String name = shape[0] + "B-" + shape[2] + "-of-" + shape[1];
            JAVA_SECRETS.put(name, secret);
            ArrayNode hex = combine.addObject().put("name", name).putArray("sharesHex");
            // the last `threshold` shares, in reverse order
            for (int i = shares.size() - 1; i >= shares.size() - shape[2]; i--) {
                hex.add(Hex.encode(shares.get(i)));
            }
        }

        ArrayNode recover = in.putArray("recover");
        KeyPair key = KeyPair.generate();
        List<String> a = texts(KeyBackup.split(key, 3, 5, RANDOM));
        List<String> b = texts(KeyBackup.split(key, 3, 5, RANDOM));
        List<String> twoOfThree = texts(KeyBackup.split(key, 2, 3, RANDOM));
        String flipped = (a.get(2).charAt(3) == 'Z' ? a.get(2).substring(0, 3) + "Y" : a.get(2).substring(0, 3) + "Z")
                + a.get(2).substring(4);
        addRecover(recover, "java-3-of-5", key.privateKeyHex(), a.get(4), a.get(0), a.get(2));
        addRecover(recover, "java-lowercase-spaces", key.privateKeyHex(), a.get(1).toLowerCase().replace('-', ' '), a.get(3), a.get(0));
        addRecover(recover, "java-2-of-3", key.privateKeyHex(), twoOfThree.get(1), twoOfThree.get(2));
        addRecover(recover, "duplicate", "SHARE_DUPLICATE", a.get(0), a.get(1), a.get(0));
        addRecover(recover, "mixed", "SHARE_MIXED_SPLITS", a.get(0), a.get(1), b.get(2));
        addRecover(recover, "threshold", "SHARE_THRESHOLD_MISMATCH", a.get(0), a.get(1), twoOfThree.get(2));
        addRecover(recover, "too-few", "SHARE_TOO_FEW", a.get(0), a.get(1));
        addRecover(recover, "flipped", "SHARE_CHECKSUM", a.get(0), a.get(1), flipped);
        String last = a.get(1);
        String lastFlipped = last.substring(0, last.length() - 1) + (last.endsWith("0") ? "1" : "0");
        addRecover(recover, "last-character-flipped", "SHARE_CHECKSUM", a.get(0), lastFlipped, a.get(2));

        ArrayNode splitKeys = in.putArray("splitKeys");
        for (int[] tn : new int[][]{{3, 5}, {2, 3}, {5, 5}}) {
            KeyPair k = KeyPair.generate();
            String name = "npm-" + tn[0] + "-of-" + tn[1];
            KEYS.put(name, k);
            splitKeys.addObject().put("name", name).put("privateKeyHex", k.privateKeyHex()).put("threshold", tn[0]).put("total", tn[1]);
        }

        ArrayNode seal = in.putArray("seal");
        seal.addObject().put("name", "webcrypto").put("text", a.get(0)).put("passphrase", PASSPHRASE)
                .put("pubkeyHex", key.publicKey().hex()).put("iterations", ITERATIONS);
        SEALED_TEXT.put("webcrypto", a.get(0));
        sealPubkey = key.publicKey().hex();
        ArrayNode open = in.putArray("open");
        EncryptedShare jdk = jdkSeal(a.get(1), PASSPHRASE, key.publicKey().hex());
        open.addObject().put("name", "jdk").put("passphrase", PASSPHRASE).put("pubkeyHex", key.publicKey().hex()).set("sealed", jdk.toJson());
        open.addObject().put("name", "jdk-wrong-passphrase").put("passphrase", PASSPHRASE + "!")
                .put("pubkeyHex", key.publicKey().hex()).set("sealed", jdk.toJson());
        open.addObject().put("name", "jdk-other-key").put("passphrase", PASSPHRASE)
                .put("pubkeyHex", KeyPair.generate().publicKey().hex()).set("sealed", jdk.toJson());
        SEALED_TEXT.put("jdk", a.get(1));

        Path file = tmp.resolve("in.json");
        Files.write(file, JSON.writeValueAsBytes(in));
        Path jsDir = Path.of(System.getProperty("raregen.js.dir", "src/test/js"));
        Process p = new ProcessBuilder("node", "shamir-cross.mjs", file.toAbsolutePath().toString())
                .directory(jsDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node shamir-cross.mjs did not finish");
        assertEquals(0, p.exitValue(), "node shamir-cross.mjs failed: " + new String(out, StandardCharsets.UTF_8));
        result = JSON.readTree(out);
    }

    @Test
    void thePackageReproducesTheCommittedVectors() {
        List<JsonNode> vectors = BackupVectors.vectors();
        assertEquals(vectors.size(), result.path("vectors").size());
        for (int i = 0; i < vectors.size(); i++) {
            JsonNode v = vectors.get(i);
            JsonNode npm = result.path("vectors").get(i);
            for (int s = 0; s < v.path("total").asInt(); s++) {
                assertEquals(v.path("expected").get(s).path("shareHex").asText(), npm.path("sharesHex").get(s).asText());
                assertEquals(v.path("expected").get(s).path("text").asText(), npm.path("texts").get(s).asText());
            }
        }
    }

    @Test
    void sharesSplitInJavaCombineInThePackage() {
        assertEquals(JAVA_SECRETS.size(), result.path("combine").size());
        for (JsonNode c : result.path("combine")) {
            assertEquals(Hex.encode(JAVA_SECRETS.get(c.path("name").asText())), c.path("secretHex").asText(), c.path("name").asText());
        }
    }

    @Test
    void javaShareTextsRecoverInJavaScriptAndMisuseGetsTheSameCodes() {
        assertEquals(RECOVER_EXPECT.size(), result.path("recover").size());
        for (JsonNode r : result.path("recover")) {
            String expected = RECOVER_EXPECT.get(r.path("name").asText());
            String got = r.has("error") ? r.path("error").asText() : r.path("privateKeyHex").asText();
            assertEquals(expected, got, r.path("name").asText());
        }
    }

    @Test
    void keysSplitInJavaScriptRecoverInJava() throws Exception {
        assertEquals(KEYS.size(), result.path("splitKeys").size());
        for (JsonNode s : result.path("splitKeys")) {
            KeyPair key = KEYS.get(s.path("name").asText());
            List<String> texts = new ArrayList<>();
            s.path("texts").forEach(t -> texts.add(t.asText()));
            List<BackupShare> shares = KeyBackup.decodeAll(texts);
            int t = shares.get(0).threshold();
            assertEquals(key.privateKeyHex(), KeyBackup.recover(shares.subList(0, t)).privateKeyHex());
            assertEquals(key.privateKeyHex(), KeyBackup.recover(shares.subList(shares.size() - t, shares.size())).privateKeyHex());
            assertEquals(Hex.encode(KeyBackup.fingerprint(key.publicKey())), shares.get(0).fingerprintHex());
        }
    }

    @Test
    void aShareSealedWithWebCryptoOpensWithTheJdkAndTheOtherWayRound() throws Exception {
        EncryptedShare webcrypto = EncryptedShare.fromJson(result.path("seal").get(0).path("sealed"));
        assertEquals(ITERATIONS, webcrypto.iterations());
        assertEquals(SEALED_TEXT.get("webcrypto"), jdkOpen(webcrypto, PASSPHRASE, sealPubkey));

        JsonNode open = result.path("open");
        assertEquals(SEALED_TEXT.get("jdk"), open.get(0).path("text").asText());
        assertEquals("WRONG_PASSPHRASE", open.get(1).path("error").asText());
        assertEquals("WRONG_PASSPHRASE", open.get(2).path("error").asText(), "the AAD binds the blob to its key");
    }

    private static void addRecover(ArrayNode recover, String name, String expected, String... texts) {
        ArrayNode t = recover.addObject().put("name", name).putArray("texts");
        for (String s : texts) {
            t.add(s);
        }
        RECOVER_EXPECT.put(name, expected);
    }

    private static List<String> texts(List<BackupShare> shares) {
        return shares.stream().map(BackupShare::encode).toList();
    }

    // the JDK side of the construction the CLI's PassphraseCipher uses (PBKDF2-HMAC-SHA256, AES-256-GCM, 128-bit tag)
    static EncryptedShare jdkSeal(String text, String passphrase, String pubkeyHex) throws Exception {
        byte[] salt = new byte[EncryptedShare.SALT_BYTES];
        byte[] iv = new byte[EncryptedShare.IV_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance(EncryptedShare.CIPHER);
        c.init(Cipher.ENCRYPT_MODE, key(passphrase, salt, ITERATIONS), new GCMParameterSpec(128, iv));
        c.updateAAD(EncryptedShare.aad(pubkeyHex));
        return new EncryptedShare(ITERATIONS, salt, iv, c.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String jdkOpen(EncryptedShare s, String passphrase, String pubkeyHex) throws Exception {
        Cipher c = Cipher.getInstance(EncryptedShare.CIPHER);
        c.init(Cipher.DECRYPT_MODE, key(passphrase, s.salt(), s.iterations()), new GCMParameterSpec(128, s.iv()));
        c.updateAAD(EncryptedShare.aad(pubkeyHex));
        return new String(c.doFinal(s.ciphertext()), StandardCharsets.UTF_8);
    }

    private static SecretKeySpec key(String passphrase, byte[] salt, int iterations) throws Exception {
        byte[] k = SecretKeyFactory.getInstance(EncryptedShare.KDF)
                .generateSecret(new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256)).getEncoded();
        return new SecretKeySpec(k, "AES");
    }
}
