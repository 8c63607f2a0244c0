package io.raregen.broadcaster.webhooks;

/**
 * The statement behind {@code POST /v1/webhooks/{id}/replay}: dead deliveries of a webhook go back to
 * pending with a fresh attempt count and a fresh 24-hour window, due now. Kept here so the tests of the
 * delivery loop run the exact statement.
 */
public final class WebhookReplay {
    public static final String SQL = "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
            + "first_attempt_at = NULL, next_attempt_at = now(), last_error = NULL, last_status_code = NULL "
            + "WHERE webhook_id = ? AND status = 'dead'";

    private WebhookReplay() {
    }
}
