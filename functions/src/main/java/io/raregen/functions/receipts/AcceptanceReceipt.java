package io.raregen.functions.receipts;

import io.micronaut.serde.annotation.Serdeable;
import io.raregen.core.receipt.AcceptanceStatement;

/**
 * The signed part of a receipt: the statement, the service key's signature over its RFC 8785
 * form, and the public key that made it (check it against {@code GET /v1/service-keys}).
 */
@Serdeable
public record AcceptanceReceipt(Statement statement, String signature, String serviceKey) {

    /** {@link AcceptanceStatement} as JSON: exactly the fields and values that were signed. */
    @Serdeable
    public record Statement(String type, String jobId, String envelopeSha256, String acceptedAt, Service service) {
        static Statement of(AcceptanceStatement s) {
            return new Statement(AcceptanceStatement.TYPE, s.jobId().value(), s.envelopeSha256(), s.acceptedAt().toString(),
                    new Service(s.serviceName(), s.keyId()));
        }
    }

    /** Which service, and which of its keys, signed. */
    @Serdeable
    public record Service(String name, String keyId) {
    }
}
