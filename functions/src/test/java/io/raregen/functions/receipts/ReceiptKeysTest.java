package io.raregen.functions.receipts;

import io.micronaut.context.exceptions.ConfigurationException;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.receipt.ReceiptSignatures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receipt key setting: WIF or hex, ephemeral only when allowed, retired keys parsed, secrets never echoed. */
class ReceiptKeysTest {
    private static final KeyPair KEY = KeyPair.fromPrivateKeyHex("0a".repeat(32));

    private static ReceiptConfiguration config(String key, List<String> retired, boolean require) {
        return new ReceiptConfiguration("raregen", key, null, retired, require);
    }

    @Test
    void wifAndHex_nameTheSameKey() {
        ReceiptKeys fromWif = new ReceiptKeys(config(KEY.toWif(Network.MAIN), null, true));
        ReceiptKeys fromHex = new ReceiptKeys(config("0A".repeat(32), null, true));
        assertEquals(KEY.publicKey(), fromWif.signingKey().publicKey());
        assertEquals(KEY.publicKey(), fromHex.signingKey().publicKey());
        assertEquals(ReceiptSignatures.keyId(KEY.publicKey()), fromHex.keyId());
        assertFalse(fromHex.ephemeral());
    }

    @Test
    void noKey_isEphemeral_unlessAKeyIsRequired() {
        assertTrue(new ReceiptKeys(config(null, null, false)).ephemeral());
        assertThrows(ConfigurationException.class, () -> new ReceiptKeys(config(" ", null, true)));
    }

    @Test
    void aMalformedKey_failsWithoutEchoingIt() {
        String secret = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ReceiptKeys(config(secret.substring(0, 40), null, false)));
        assertFalse(e.getMessage().contains(secret.substring(0, 40)), e.getMessage());
        assertFalse(config(secret, null, false).toString().contains(secret));
    }

    @Test
    void retiredKeys_areParsedWithTheirValidity_andBadEntriesFail() {
        KeyPair old = KeyPair.fromPrivateKeyHex("0b".repeat(32));
        ReceiptKeys keys = new ReceiptKeys(config(KEY.toWif(Network.MAIN),
                List.of(old.publicKey().hex() + "/2026-01-01T00:00:00Z/2026-06-01T00:00:00Z"), false));
        assertEquals(2, keys.published().size());
        ReceiptKeys.Published retired = keys.published().get(1);
        assertEquals(ReceiptSignatures.keyId(old.publicKey()), retired.keyId());
        assertEquals(Instant.parse("2026-06-01T00:00:00Z"), retired.validTo());
        assertFalse(retired.current());
        for (String bad : List.of("02ab/2026-01-01T00:00:00Z/2026-06-01T00:00:00Z", old.publicKey().hex() + "/yesterday/today",
                old.publicKey().hex() + "/2026-06-01T00:00:00Z/2026-01-01T00:00:00Z", old.publicKey().hex())) {
            assertThrows(ConfigurationException.class, () -> new ReceiptKeys(config(null, List.of(bad), false)), bad);
        }
    }
}
