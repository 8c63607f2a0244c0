package io.raregen.functions.callbacks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.http.BearerToken;
import io.raregen.functions.web.ErrorCode;
import io.raregen.functions.web.TokenGuard;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Authenticates an ARC callback by its bearer token, validates it and stores it for the broadcaster, which
 * applies it (job mined, pool depth). Answering fast and applying elsewhere keeps the function free of pool
 * logic; storing is idempotent, so ARC's retries are harmless.
 */
@Singleton
public class ArcCallbackService {

    private final BearerToken token;
    private final CallbackInbox inbox;
    private final Counter received;
    private final Counter stored;

    public ArcCallbackService(ArcCallbackConfiguration config, CallbackInbox inbox, MeterRegistry meters) {
        this.token = BearerToken.of(config.callbackToken());
        this.inbox = inbox;
        this.received = meters.counter("raregen.arc.callbacks.received");
        this.stored = meters.counter("raregen.arc.callbacks.stored");
    }

    /** @return how many callbacks the body held and how many were new */
    public Receipt receive(@Nullable String authorization, @Nullable String body) {
        TokenGuard.require(token, authorization,
                ErrorCode.CALLBACKS_DISABLED, "ARC callbacks are disabled: raregen.arc.callback-token is not set",
                ErrorCode.CALLBACK_UNAUTHORIZED, "Send the callback token as 'Authorization: Bearer <token>'");
        List<ArcCallback> callbacks = ArcCallbackReader.read(body);
        int n = inbox.store(callbacks);
        received.increment(callbacks.size());
        stored.increment(n);
        return new Receipt(callbacks.size(), n);
    }

    /** What one callback request did: {@code received} callbacks in the body, {@code stored} of them new (the rest retries). */
    @Serdeable
    public record Receipt(int received, int stored) {
    }
}
