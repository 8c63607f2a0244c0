package io.raregen.core.keys;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.PublicKey;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;

import java.nio.charset.StandardCharsets;

/**
 * Deposit addresses: one per account, derived with BIP32 (bitcoinj) from a branch of a service key, so no two
 * accounts ever share one. The holder of the service key (the broadcaster) derives the branch's private key and
 * can spend every deposit; anyone given the branch's extended public key ({@link #xpub()}, published for the
 * functions) derives the addresses without being able to spend. Account {@code i} pays to branch/i (non-hardened).
 *
 * <p>The branch: BIP32 master from SHA-256("raregen/deposits" ‖ service private key), then its hardened child 0'
 * (a leak of the branch's xpub and one child key cannot reach the master).
 */
public final class DepositKeys {

    /** Highest account index (BIP32 non-hardened children are 0 … 2^31 - 1). */
    public static final int MAX_INDEX = Integer.MAX_VALUE;

    private final DeterministicKey branch;

    private DepositKeys(DeterministicKey branch) {
        this.branch = branch;
    }

    /** The branch of the service key: can derive private keys. */
    public static DepositKeys fromServiceKey(KeyPair serviceKey) {
        byte[] tag = "raregen/deposits".getBytes(StandardCharsets.US_ASCII);
        byte[] priv = Hex.decode(serviceKey.privateKeyHex());
        byte[] seed = new byte[tag.length + priv.length];
        System.arraycopy(tag, 0, seed, 0, tag.length);
        System.arraycopy(priv, 0, seed, tag.length, priv.length);
        DeterministicKey master = HDKeyDerivation.createMasterPrivateKey(Hashes.sha256(seed));
        return new DepositKeys(HDKeyDerivation.deriveChildKey(master, new ChildNumber(0, true)));
    }

    /** From a published branch xpub: addresses only. */
    public static DepositKeys fromXpub(String xpub) {
        try {
            return new DepositKeys(DeterministicKey.deserializeB58(xpub, BitcoinNetwork.MAINNET));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a BIP32 extended public key: " + e.getMessage(), e);
        }
    }

    /** The branch's extended public key ({@code xpub…}; the same string for every network). */
    public String xpub() {
        return branch.dropPrivateBytes().dropParent().serializePubB58(BitcoinNetwork.MAINNET);
    }

    public PublicKey publicKey(int index) {
        return new PublicKey(child(index).getPubKey());
    }

    public String address(int index, Network network) {
        return P2pkh.address(Hashes.hash160(publicKey(index).compressed()), network);
    }

    public byte[] lockingScript(int index) {
        return P2pkh.lockingScript(publicKey(index));
    }

    /** The key that spends account {@code index}'s deposits; only from the service key. */
    public KeyPair keyPair(int index) {
        if (branch.isPubKeyOnly()) {
            throw new IllegalStateException("deposit keys from an xpub cannot sign");
        }
        return KeyPair.fromPrivateKeyHex(Hex.encode(child(index).getPrivKeyBytes()));
    }

    private DeterministicKey child(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("deposit index must be 0 or more");
        }
        return HDKeyDerivation.deriveChildKey(branch, new ChildNumber(index, false));
    }

    @Override
    public String toString() {
        return "DepositKeys[" + xpub() + "]";
    }
}
