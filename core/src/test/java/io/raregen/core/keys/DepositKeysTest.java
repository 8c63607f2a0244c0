package io.raregen.core.keys;

import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DepositKeysTest {

    /** BIP32 test vector 1: the xpub of m/0H and of its non-hardened child m/0H/1 (from the BIP's text). */
    private static final String VECTOR_M_0H = "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw";
    private static final String VECTOR_M_0H_1 = "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";

    @Test
    void publicDerivation_followsBip32_testVector1() {
        DeterministicKey parent = DeterministicKey.deserializeB58(VECTOR_M_0H, BitcoinNetwork.MAINNET);
        DeterministicKey child = HDKeyDerivation.deriveChildKey(parent, new ChildNumber(1, false));
        assertEquals(VECTOR_M_0H_1, child.serializePubB58(BitcoinNetwork.MAINNET));
        // and through this class: the child's key is the address key of "account 1"
        assertEquals(child.getPublicKeyAsHex(), DepositKeys.fromXpub(VECTOR_M_0H).publicKey(1).hex());
    }

    @Test
    void theXpubDerivesTheSameAddresses_asTheServiceKey_andSigningKeysMatch() {
        KeyPair service = KeyPair.fromPrivateKeyHex("07".repeat(32));
        DepositKeys full = DepositKeys.fromServiceKey(service);
        DepositKeys published = DepositKeys.fromXpub(full.xpub());
        assertTrue(full.xpub().startsWith("xpub"), full.xpub());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String a = published.address(i, Network.REGTEST);
            assertEquals(full.address(i, Network.REGTEST), a);
            assertEquals(full.keyPair(i).address(Network.REGTEST), a, "the key the broadcaster signs with pays to the address shown");
            assertTrue(seen.add(a), "never reused across accounts");
        }
        assertThrows(IllegalStateException.class, () -> published.keyPair(0), "an xpub cannot sign");
        assertNotEquals(DepositKeys.fromServiceKey(KeyPair.fromPrivateKeyHex("08".repeat(32))).xpub(), full.xpub());
        assertEquals(full.xpub(), DepositKeys.fromServiceKey(KeyPair.fromPrivateKeyHex("07".repeat(32))).xpub(), "deterministic");
        assertThrows(IllegalArgumentException.class, () -> DepositKeys.fromXpub("xpubnotakey"));
    }
}
