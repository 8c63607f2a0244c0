package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.PublishRequest;
import io.raregen.core.envelope.EnvelopeException;
import io.raregen.core.receipt.ReceiptSignatures;
import io.raregen.core.types.PublicKey;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks a receipt ({@code GET /v1/jobs/{id}/receipt}, format {@code raregen-receipt/1}) offline: the
 * service's signature over the acceptance statement and the key's publication, the envelope against
 * the signed hash, then — through {@link ProofVerifier}, the same checks as a proof — the transaction,
 * the record, the client signature, and once mined the BEEF's merkle path to the block root and the
 * header against a header source. Each failure names the receipt field it concerns.
 */
public final class ReceiptVerifier {

    public static final String FORMAT = "receipt format";
    public static final String SERVICE_SIGNATURE = "service signature";
    public static final String SERVICE_KEY = "service key";
    public static final String ENVELOPE_HASH = "envelope hash";
    public static final String ENVELOPE = "envelope";
    public static final String BEEF = "BEEF";
    public static final String RECEIPT_HEADER = "receipt header";

    private final HeaderSource headers;
    private final ServiceKeySet keys;

    /**
     * @param headers the independent header source, or {@link HeaderSource#NONE}: then the receipt's own header is
     *                checked for consistency only
     * @param keys    the published service keys, or null (the signature is then checked against the receipt's own key)
     */
    public ReceiptVerifier(HeaderSource headers, ServiceKeySet keys) {
        this.headers = headers;
        this.keys = keys;
    }

    /** What was checked, and the job's state as the receipt tells it. */
    public record Result(VerificationReport report, String status, Long blockHeight, String signer) {
    }

    public Result verify(JsonNode r, String expectedSigner) {
        List<Check> checks = new ArrayList<>();
        String jobId = Json.text(r, "jobId");
        JsonNode acceptance = r.path("acceptance");
        JsonNode statement = acceptance.path("statement");
        if (!"raregen-receipt/1".equals(Json.text(r, "format")) || !statement.isObject()) {
            checks.add(Check.fail(FORMAT, "not a raregen-receipt/1 document with acceptance.statement"));
            return new Result(new VerificationReport(jobId, null, checks), Json.text(r, "status"), null, null);
        }
        checks.add(Check.pass(FORMAT, "raregen-receipt/1, status " + Json.text(r, "status")));

        // 1. the service's signature over the statement, and whose key that is
        String serviceKey = Json.text(acceptance, "serviceKey");
        String keyId = Json.text(statement.path("service"), "keyId");
        checks.add(serviceSignature(statement, Json.text(acceptance, "signature"), serviceKey, keyId));
        checks.add(serviceKey(serviceKey, keyId, Json.text(statement, "acceptedAt")));
        if (jobId == null || !jobId.equals(Json.text(statement, "jobId"))) {
            checks.add(Check.fail(SERVICE_SIGNATURE, "the receipt is for job " + jobId + " but acceptance.statement.jobId is "
                    + Json.text(statement, "jobId")));
        }

        // 2. the envelope is the one whose hash the service signed
        byte[] envelopeBytes = null;
        try {
            envelopeBytes = Base64.getDecoder().decode(Json.text(r, "envelope") == null ? "" : Json.text(r, "envelope"));
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail(ENVELOPE_HASH, "envelope is not base64"));
        }
        Envelope envelope = null;
        if (envelopeBytes != null) {
            String hash = Hashes.hex(Hashes.sha256(envelopeBytes));
            String signedHash = Json.text(statement, "envelopeSha256");
            checks.add(hash.equals(signedHash)
                    ? Check.pass(ENVELOPE_HASH, "SHA-256 of the envelope's " + envelopeBytes.length + " bytes = acceptance.statement.envelopeSha256")
                    : Check.fail(ENVELOPE_HASH, "the envelope hashes to " + hash + " but the service signed " + signedHash));
            try {
                // the request body as accepted: the envelope, and perhaps the service option "mode" beside it
                envelope = PublishRequest.parseJson(new String(envelopeBytes, StandardCharsets.UTF_8)).envelope();
                checks.add(Check.pass(ENVELOPE, "pubkey " + envelope.pubkey()));
            } catch (EnvelopeException | RuntimeException e) {
                checks.add(Check.fail(ENVELOPE, "envelope is not a client envelope: " + e.getMessage()));
            }
        }

        // 3. the transaction and, once mined, the BEEF and the header: the proof checks
        JsonNode tx = r.path("transaction");
        JsonNode proof = r.path("proof");
        String txid = Json.text(tx, "txid");
        Long height = null;
        String signer = envelope == null ? null : envelope.pubkey();
        if (!tx.isObject()) {
            if (envelope != null) {
                checks.add(clientSignatureOnly(envelope, expectedSigner));
            }
        } else {
            byte[] rawTx = Proof.bytes(Json.text(tx, "rawTx"));
            byte[] bump = null;
            byte[] header = null;
            String blockHash = null;
            if (proof.isObject()) {
                blockHash = Json.text(proof, "blockHash");
                height = proof.path("blockHeight").isNumber() ? proof.get("blockHeight").asLong() : null;
                header = Proof.bytes(Json.text(proof, "blockHeader"));
                try {
                    List<BeefReader.Tx> beef = BeefReader.parse(Proof.bytes(Json.text(proof, "beef")));
                    BeefReader.Tx subject = beef.get(beef.size() - 1);
                    if (!Arrays.equals(subject.raw(), rawTx)) {
                        checks.add(Check.fail(BEEF, "proof.beef holds transaction " + Hashes.txidOf(subject.raw())
                                + ", not transaction.rawTx " + (rawTx == null ? "" : Hashes.txidOf(rawTx))));
                    } else if (subject.bump() == null) {
                        checks.add(Check.fail(BEEF, "proof.beef carries no merkle path for its transaction"));
                    } else {
                        checks.add(Check.pass(BEEF, "BRC-62 with " + beef.size() + " transaction(s); the subject is transaction.rawTx, with its BUMP"));
                    }
                    bump = subject.bump();
                } catch (MerklePathException | RuntimeException e) {
                    checks.add(Check.fail(BEEF, "proof.beef: " + e.getMessage()));
                    bump = new byte[0];
                }
                checks.add(receiptHeader(header, blockHash));
            }
            List<Proof.Input> inputs = new ArrayList<>();
            for (JsonNode i : tx.path("inputs")) {
                inputs.add(new Proof.Input(Json.text(i, "txid"), i.path("vout").asInt(), i.path("satoshis").asLong(),
                        Proof.bytes(Json.text(i, "lockingScript"))));
            }
            Integer outputIndex = tx.path("outputIndex").isNumber() ? tx.get("outputIndex").asInt() : null;
            // with an independent source the header comes from there; otherwise from the receipt (consistency only)
            byte[] headerForProof = headers == HeaderSource.NONE ? header : null;
            Proof p = new Proof(jobId, txid, rawTx, inputs, outputIndex,
                    envelope == null ? null : envelope.signedPayload(), envelope == null ? null : envelope.signature(),
                    envelope == null ? null : envelope.pubkey(), bump, blockHash, height, headerForProof,
                    Proof.AnchorClaim.fromJson(r.get("anchor")));
            VerificationReport pr = new ProofVerifier(headers).verify(p, null, expectedSigner);
            for (Check c : pr.checks()) {
                // a receipt names its block: an independent source that does not know it means the block is not
                // (or no longer) on that source's chain, e.g. after a reorg — never a pass
                if (c.name().equals(ProofVerifier.HEADER) && c.outcome() == Check.Outcome.SKIP && headers != HeaderSource.NONE
                        && blockHash != null && bump != null && bump.length > 0) {
                    c = Check.fail(ProofVerifier.HEADER, "block " + blockHash + " (proof.blockHash) is unknown to " + headers.describe()
                            + ": not on its chain, perhaps reorganised away; fetch the receipt again");
                }
                checks.add(c);
            }
            txid = pr.txid();
        }
        return new Result(new VerificationReport(jobId, txid, checks), Json.text(r, "status"), height, signer);
    }

    private static Check serviceSignature(JsonNode statement, String signature, String serviceKey, String keyId) {
        PublicKey key;
        try {
            key = PublicKey.fromHex(serviceKey == null ? "" : serviceKey.toLowerCase());
        } catch (IllegalArgumentException e) {
            return Check.fail(SERVICE_SIGNATURE, "acceptance.serviceKey is not a compressed secp256k1 key");
        }
        if (!ReceiptSignatures.keyId(key).equals(keyId)) {
            return Check.fail(SERVICE_SIGNATURE, "acceptance.statement.service.keyId " + keyId + " is not the id of acceptance.serviceKey ("
                    + ReceiptSignatures.keyId(key) + ")");
        }
        String why = ReceiptSignatures.verify(statement.toString(), signature, key);
        return why == null
                ? Check.pass(SERVICE_SIGNATURE, "acceptance.signature by key " + keyId + " over the RFC 8785 statement")
                : Check.fail(SERVICE_SIGNATURE, "acceptance.signature: " + why + " (acceptance.statement or the signature was changed)");
    }

    private Check serviceKey(String serviceKey, String keyId, String acceptedAt) {
        if (keys == null) {
            return Check.skip(SERVICE_KEY, "not compared with a published key (pass --service-key or --service-keys)");
        }
        Optional<ServiceKeySet.Key> k = keys.find(serviceKey == null ? "" : serviceKey, keyId);
        if (k.isEmpty()) {
            return Check.fail(SERVICE_KEY, "acceptance.serviceKey " + serviceKey + " is not among the keys of " + keys.source());
        }
        Instant at;
        try {
            at = Instant.parse(acceptedAt);
        } catch (DateTimeParseException | NullPointerException e) {
            return Check.fail(SERVICE_KEY, "acceptance.statement.acceptedAt is not an ISO-8601 instant");
        }
        ServiceKeySet.Key key = k.get();
        if ((key.validFrom() != null && at.isBefore(key.validFrom())) || (key.validTo() != null && !at.isBefore(key.validTo()))) {
            return Check.fail(SERVICE_KEY, "key " + keyId + " was valid " + key.validFrom() + " to " + key.validTo()
                    + ", the receipt says accepted at " + at);
        }
        return Check.pass(SERVICE_KEY, "published by " + keys.source() + (key.validTo() == null ? "" : " (retired " + key.validTo() + ")")
                + ", valid at " + at);
    }

    private Check receiptHeader(byte[] header, String blockHash) {
        if (header == null) {
            return Check.skip(RECEIPT_HEADER, "the receipt carries no block header");
        }
        if (header.length != 80) {
            return Check.fail(RECEIPT_HEADER, "proof.blockHeader is " + header.length + " bytes, not 80");
        }
        String hash = new BlockHeader(header).hash();
        if (!hash.equalsIgnoreCase(blockHash)) {
            return Check.fail(RECEIPT_HEADER, "proof.blockHeader hashes to " + hash + ", not proof.blockHash " + blockHash);
        }
        return Check.pass(RECEIPT_HEADER, "proof.blockHeader hashes to proof.blockHash"
                + (headers == HeaderSource.NONE ? " (not confirmed by an independent source: pass --headers)" : ""));
    }

    private static Check clientSignatureOnly(Envelope envelope, String expectedSigner) {
        try {
            var v = new io.raregen.core.envelope.EnvelopeVerifier(java.time.Clock.systemUTC(),
                    io.raregen.core.envelope.EnvelopeVerifier.DEFAULT_TTL, 100_000_000)
                    .verifyWithoutFreshness(envelope, io.raregen.core.envelope.EnvelopeVerifier.TYPE_PUBLISH);
            if (expectedSigner != null && !v.publicKey().hex().equalsIgnoreCase(expectedSigner)) {
                return Check.fail(ProofVerifier.SIGNER, "signed by " + v.publicKey().hex() + ", not by the expected " + expectedSigner);
            }
            return Check.pass(ProofVerifier.SIGNATURE, "valid ECDSA secp256k1 signature by " + v.publicKey().hex()
                    + " (not published yet: no transaction in the receipt)");
        } catch (EnvelopeException e) {
            return Check.fail(ProofVerifier.SIGNATURE, "envelope: " + e.code() + ": " + e.getMessage());
        }
    }
}
