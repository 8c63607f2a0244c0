package io.raregen.localchain.ledger;

/**
 * Where a transaction's status callbacks go (X-CallbackUrl / X-CallbackToken / X-FullStatusUpdates /
 * X-CallbackBatch). A {@code batch} target gets ARC's batched form, {@code {"count": n, "callbacks": [...]}}.
 */
public record CallbackTarget(String url, String token, boolean fullStatusUpdates, boolean batch) {
    @Override
    public String toString() {
        // the token is a secret: never printed
        return "CallbackTarget[url=" + url + ", fullStatusUpdates=" + fullStatusUpdates + ", batch=" + batch + "]";
    }
}
