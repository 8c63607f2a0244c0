package io.raregen.core.backup;

import io.raregen.core.internal.Hex;
import io.raregen.core.keys.KeyPair;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyBackupTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void vectorTextsAreTheJavaEncodingAndDecodeBack() throws Exception {
        for (var v : BackupVectors.vectors()) {
            ReplayRandom random = new ReplayRandom(Hex.decode(v.path("randomHex").asText()));
            List<byte[]> raw = Shamir.split(Hex.decode(v.path("secretHex").asText()), v.path("total").asInt(),
                    v.path("threshold").asInt(), random);
            List<BackupShare> shares = KeyBackup.assemble(Hex.decode(v.path("splitIdHex").asText()),
                    Hex.decode(v.path("fingerprintHex").asText()), v.path("threshold").asInt(), raw);
            for (int i = 0; i < shares.size(); i++) {
                String text = v.path("expected").get(i).path("text").asText();
                assertEquals(text, shares.get(i).encode(), v.path("name") + " share " + (i + 1));
                BackupShare back = BackupShare.decode(text);
                assertEquals(shares.get(i), back);
                assertEquals(i + 1, back.index());
                assertEquals(v.path("splitIdHex").asText(), back.splitIdHex());
            }
            KeyPair key = KeyPair.fromPrivateKeyHex(v.path("secretHex").asText());
            assertEquals(v.path("pubkeyHex").asText(), key.publicKey().hex());
            assertEquals(v.path("fingerprintHex").asText(), Hex.encode(KeyBackup.fingerprint(key.publicKey())));
            int t = v.path("threshold").asInt();
            List<String> texts = new ArrayList<>();
            v.path("expected").forEach(e -> texts.add(e.path("text").asText()));
            assertEquals(key, KeyBackup.recover(KeyBackup.decodeAll(texts.subList(texts.size() - t, texts.size()))));
        }
    }

    @Test
    void splitAndRecoverAKey() throws Exception {
        KeyPair key = KeyPair.generate();
        List<BackupShare> shares = KeyBackup.split(key, 3, 5, RANDOM);
        assertEquals(5, shares.size());
        String text = shares.get(3).encode();
        assertEquals(79 + 15, text.length(), "16 groups, the last of 4 characters");
        assertTrue(text.matches("([0-9A-HJKMNP-TV-Z]{5}-){15}[0-9A-HJKMNP-TV-Z]{4}"), text);
        // written down by a person: lower case, spaces instead of hyphens, O for 0 and l for 1
        String sloppy = text.toLowerCase().replace('-', ' ').replace('0', 'o').replace('1', 'l');
        List<BackupShare> three = List.of(BackupShare.decode(sloppy), shares.get(0), shares.get(4));
        assertEquals(key.privateKeyHex(), KeyBackup.recover(three).privateKeyHex());
    }

    @Test
    void everyFlippedCharacterIsCaught() {
        String text = KeyBackup.split(KeyPair.generate(), 3, 5, RANDOM).get(0).encode();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '-') {
                continue;
            }
            for (char c : CrockfordBase32.ALPHABET.toCharArray()) {
                if (c == text.charAt(i)) {
                    continue;
                }
                String flipped = text.substring(0, i) + c + text.substring(i + 1);
                ShareException e = assertThrows(ShareException.class, () -> BackupShare.decode(flipped), flipped);
                assertEquals(ShareError.SHARE_CHECKSUM, e.error(), "position " + i + ": " + e.getMessage());
            }
        }
    }

    @Test
    void swappedAndMissingCharactersAreCaught() {
        String text = KeyBackup.split(KeyPair.generate(), 3, 5, RANDOM).get(1).encode().replace("-", "");
        for (int i = 0; i + 1 < text.length(); i++) {
            if (text.charAt(i) != text.charAt(i + 1)) {
                String swapped = text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2);
                assertThrows(ShareException.class, () -> BackupShare.decode(swapped));
            }
            String missing = text.substring(0, i) + text.substring(i + 1);
            assertEquals(ShareError.SHARE_MALFORMED, assertThrows(ShareException.class, () -> BackupShare.decode(missing)).error());
        }
    }

    @Test
    void malformedSharesNameTheProblem() {
        assertEquals(ShareError.SHARE_MALFORMED, assertThrows(ShareException.class, () -> BackupShare.decode("")).error());
        String text = KeyBackup.split(KeyPair.generate(), 3, 5, RANDOM).get(0).encode();
        ShareException u = assertThrows(ShareException.class, () -> BackupShare.decode("U" + text.substring(1)));
        assertEquals(ShareError.SHARE_MALFORMED, u.error());
        assertTrue(u.getMessage().contains("'U'"), u.getMessage());
        assertEquals(ShareError.SHARE_MALFORMED, assertThrows(ShareException.class, () -> BackupShare.decode("04G8Z")).error());
    }

    @Test
    void misusedSetsGetSpecificErrors() throws Exception {
        KeyPair key = KeyPair.generate();
        List<String> a = texts(KeyBackup.split(key, 3, 5, RANDOM));
        List<String> b = texts(KeyBackup.split(key, 3, 5, RANDOM));
        List<String> other = texts(KeyBackup.split(KeyPair.generate(), 3, 5, RANDOM));
        List<String> twoOfThree = texts(KeyBackup.split(key, 2, 3, RANDOM));

        assertError(ShareError.SHARE_DUPLICATE, List.of(a.get(0), a.get(1), a.get(0)));
        assertError(ShareError.SHARE_DUPLICATE, List.of(a.get(0), a.get(1), a.get(1).toLowerCase()));
        assertError(ShareError.SHARE_MIXED_SPLITS, List.of(a.get(0), a.get(1), b.get(2)));
        assertError(ShareError.SHARE_MIXED_SPLITS, List.of(a.get(0), a.get(1), other.get(2)));
        assertError(ShareError.SHARE_THRESHOLD_MISMATCH, List.of(a.get(0), a.get(1), twoOfThree.get(2)));
        assertError(ShareError.SHARE_TOO_FEW, List.of(a.get(0), a.get(1)));
        assertError(ShareError.SHARE_TOO_FEW, List.of());
        String flipped = a.get(2).charAt(0) == 'Z' ? "Y" + a.get(2).substring(1) : "Z" + a.get(2).substring(1);
        ShareException e = assertError(ShareError.SHARE_CHECKSUM, List.of(a.get(0), a.get(1), flipped));
        assertTrue(e.getMessage().startsWith("share 3:"), e.getMessage());
        assertEquals(key, KeyBackup.recover(KeyBackup.decodeAll(List.of(a.get(4), a.get(2), a.get(0)))));
        assertEquals(key, KeyBackup.recover(KeyBackup.decodeAll(List.of(twoOfThree.get(2), twoOfThree.get(0)))));
    }

    @Test
    void aForgedFingerprintIsAKeyMismatchNotAWrongKey() throws Exception {
        KeyPair key = KeyPair.generate();
        List<BackupShare> shares = KeyBackup.split(key, 3, 5, RANDOM);
        byte[] wrong = KeyBackup.fingerprint(KeyPair.generate().publicKey());
        List<BackupShare> forged = new ArrayList<>();
        for (BackupShare s : shares.subList(0, 3)) {
            forged.add(new BackupShare(1, s.splitId(), s.index(), s.threshold(), s.total(), wrong, s.share()));
        }
        assertEquals(ShareError.KEY_MISMATCH, assertThrows(ShareException.class, () -> KeyBackup.recover(forged)).error());
        // a share whose bytes were altered but re-checksummed (not a typo: a different share) is caught too
        BackupShare s = shares.get(1);
        byte[] y = s.share();
        y[0] ^= 1;
        List<BackupShare> altered = List.of(shares.get(0),
                new BackupShare(1, s.splitId(), s.index(), s.threshold(), s.total(), s.fingerprint(), y), shares.get(2));
        assertEquals(ShareError.KEY_MISMATCH, assertThrows(ShareException.class, () -> KeyBackup.recover(altered)).error());
    }

    @Test
    void toStringNeverShowsShareBytes() {
        BackupShare s = KeyBackup.split(KeyPair.generate(), 3, 5, RANDOM).get(0);
        assertTrue(!s.toString().contains(Hex.encode(s.share())) && s.toString().contains("1 of 5"), s.toString());
    }

    private static ShareException assertError(ShareError expected, List<String> texts) {
        ShareException e = assertThrows(ShareException.class, () -> KeyBackup.recover(KeyBackup.decodeAll(texts)));
        assertEquals(expected, e.error(), e.getMessage());
        return e;
    }

    private static List<String> texts(List<BackupShare> shares) {
        return shares.stream().map(BackupShare::encode).collect(Collectors.toList());
    }
}
