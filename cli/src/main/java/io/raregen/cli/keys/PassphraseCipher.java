package io.raregen.cli.keys;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Passphrase encryption with only the JDK: PBKDF2-HMAC-SHA256 derives an AES-256 key, AES-GCM
 * seals the secret and authenticates the associated data (the public part of the key file), so a
 * wrong passphrase and a tampered file are both detected instead of yielding garbage keys.
 */
public final class PassphraseCipher {

    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    static final String KDF = "PBKDF2WithHmacSHA256";
    static final String CIPHER = "AES/GCM/NoPadding";
    private static final int KEY_BITS = 256;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PassphraseCipher() {
    }

    /** What is stored: everything needed to decrypt except the passphrase. */
    public record Sealed(byte[] salt, byte[] iv, int iterations, byte[] ciphertext) {
    }

    public static Sealed seal(byte[] plaintext, char[] passphrase, byte[] aad, int iterations) {
        byte[] salt = random(16);
        byte[] iv = random(12);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, derive(passphrase, salt, iterations), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return new Sealed(salt, iv, iterations, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot encrypt with " + CIPHER + ": " + e.getMessage(), e);
        }
    }

    /** @throws WrongPassphraseException when the tag does not verify (wrong passphrase or altered file) */
    public static byte[] open(Sealed sealed, char[] passphrase, byte[] aad) throws WrongPassphraseException {
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, derive(passphrase, sealed.salt(), sealed.iterations()),
                    new GCMParameterSpec(TAG_BITS, sealed.iv()));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot decrypt with " + CIPHER + ": " + e.getMessage(), e);
        }
    }

    private static SecretKey derive(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BITS);
        try {
            byte[] key = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            try {
                return new SecretKeySpec(key, "AES");
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
