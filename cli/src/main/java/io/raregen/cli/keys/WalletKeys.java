package io.raregen.cli.keys;

import io.raregen.core.keys.KeyPair;

/**
 * The three keypairs a client holds (as in the original system, docs/ARCHITECTURE.md#the-original-system):
 * identity signs records, financial and tokens
 * are kept for the wallet side. Only the identity key is used by the publisher.
 */
public record WalletKeys(KeyPair identity, KeyPair financial, KeyPair tokens) {

    public static WalletKeys generate() {
        return new WalletKeys(KeyPair.generate(), KeyPair.generate(), KeyPair.generate());
    }

    @Override
    public String toString() {
        return "WalletKeys[identity=" + identity.publicKey().hex() + ", financial=" + financial.publicKey().hex()
                + ", tokens=" + tokens.publicKey().hex() + "]";
    }
}
