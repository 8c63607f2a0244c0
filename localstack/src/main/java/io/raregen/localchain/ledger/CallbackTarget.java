package io.raregen.localchain.ledger;

/** Where a transaction's status callbacks go (X-CallbackUrl / X-CallbackToken / X-FullStatusUpdates). */
public record CallbackTarget(String url, String token, boolean fullStatusUpdates) {
    @Override
    public String toString() {
        // the token is a secret: never printed
        return "CallbackTarget[url=" + url + ", fullStatusUpdates=" + fullStatusUpdates + "]";
    }
}
