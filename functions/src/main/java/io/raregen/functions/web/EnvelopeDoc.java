package io.raregen.functions.web;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** The client envelope as documented in OpenAPI; controllers read the body raw so it is verified byte for byte. */
@Serdeable
@Schema(name = "Envelope")
public record EnvelopeDoc(
        @Schema(description = "RFC 8785 canonical JSON payload, as a string") String signedPayload,
        @Schema(description = "base64 DER ECDSA secp256k1 signature over SHA-256 of signedPayload, low-S") String signature,
        @Schema(description = "33-byte compressed public key, lowercase hex") String pubkey) {
}
