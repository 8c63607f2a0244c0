package io.raregen.core.receipt;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.types.JobId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiptSignaturesTest {
    private static final KeyPair KEY = KeyPair.fromPrivateKeyHex("11".repeat(32));
    private static final String HASH = "ab".repeat(32);

    private static AcceptanceStatement statement() {
        return new AcceptanceStatement(JobId.parse("01M8XGME9QZR0PP4VTDMX4SJX9"), HASH,
                Instant.parse("2026-12-03T08:34:21.633652Z"), "raregen", ReceiptSignatures.keyId(KEY.publicKey()));
    }

    @Test
    void canonicalForm_isSortedCompactJson() {
        assertEquals("{\"acceptedAt\":\"2026-12-03T08:34:21.633652Z\",\"envelopeSha256\":\"" + HASH + "\",\"jobId\":\"01M8XGME9QZR0PP4VTDMX4SJX9\","
                + "\"service\":{\"keyId\":\"" + ReceiptSignatures.keyId(KEY.publicKey()) + "\",\"name\":\"raregen\"},\"type\":\"raregen-acceptance/1\"}",
                statement().canonicalJson());
    }

    @Test
    void signature_isDeterministicAndVerifiesOverAnyLayoutOfTheSameStatement() {
        String sig = ReceiptSignatures.sign(statement(), KEY);
        assertEquals(sig, ReceiptSignatures.sign(statement(), KEY), "RFC 6979");
        assertNull(ReceiptSignatures.verify(statement().toJson().toPrettyString(), sig, KEY.publicKey()));
        assertNull(ReceiptSignatures.verify(statement().canonicalJson(), sig, KEY.publicKey()));
    }

    @Test
    void anyChangedValueOrOtherKey_fails() {
        String sig = ReceiptSignatures.sign(statement(), KEY);
        String changed = statement().canonicalJson().replace("08:34:21", "08:34:22");
        assertNotNull(ReceiptSignatures.verify(changed, sig, KEY.publicKey()));
        KeyPair other = KeyPair.fromPrivateKeyHex("22".repeat(32));
        assertTrue(ReceiptSignatures.verify(statement().canonicalJson(), sig, other.publicKey()).contains("does not verify"));
        assertNotNull(ReceiptSignatures.verify("{not json", sig, KEY.publicKey()));
        assertNotNull(ReceiptSignatures.verify(statement().canonicalJson(), "%%%", KEY.publicKey()));
    }

    @Test
    void signingWithAKeyTheStatementDoesNotName_isRefused() {
        KeyPair other = KeyPair.fromPrivateKeyHex("22".repeat(32));
        assertThrows(IllegalArgumentException.class, () -> ReceiptSignatures.sign(statement(), other));
    }
}
