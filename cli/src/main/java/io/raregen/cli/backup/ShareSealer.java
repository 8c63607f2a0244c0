package io.raregen.cli.backup;

import io.raregen.cli.keys.PassphraseCipher;
import io.raregen.cli.keys.WrongPassphraseException;
import io.raregen.core.backup.EncryptedShare;

import java.nio.charset.StandardCharsets;

/**
 * Seals the share the service keeps with the key file's cipher ({@link PassphraseCipher}: PBKDF2-HMAC-SHA256 and
 * AES-256-GCM), bound to the identity's public key by the associated data; the browser does the same with WebCrypto.
 */
public final class ShareSealer {
    private ShareSealer() {
    }

    public static EncryptedShare seal(String shareText, char[] passphrase, String pubkeyHex, int iterations) {
        PassphraseCipher.Sealed s = PassphraseCipher.seal(shareText.getBytes(StandardCharsets.US_ASCII), passphrase,
                EncryptedShare.aad(pubkeyHex), iterations);
        return new EncryptedShare(s.iterations(), s.salt(), s.iv(), s.ciphertext());
    }

    /** @throws WrongPassphraseException for a wrong passphrase, or a blob sealed for another key */
    public static String open(EncryptedShare share, char[] passphrase, String pubkeyHex) throws WrongPassphraseException {
        byte[] plain = PassphraseCipher.open(new PassphraseCipher.Sealed(share.salt(), share.iv(), share.iterations(),
                share.ciphertext()), passphrase, EncryptedShare.aad(pubkeyHex));
        return new String(plain, StandardCharsets.US_ASCII);
    }
}
