package io.raregen.functions.callbacks;

import java.util.List;

/** Durable storage of received ARC callbacks; the broadcaster applies them. */
public interface CallbackInbox {

    /**
     * Stores all callbacks in one transaction; a callback already stored (same txid, status and block) is skipped.
     *
     * @return how many were new
     */
    int store(List<ArcCallback> callbacks);
}
