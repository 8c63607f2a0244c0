package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProofVerifierTest {

    private static VerificationReport verify(ProofFixture f, ObjectNode proof) {
        return new ProofVerifier(f.headers()).verify(Proof.fromJson(proof), null, null);
    }

    private static Check.Outcome outcome(VerificationReport r, String check) {
        return r.check(check).orElseThrow(() -> new AssertionError("no check " + check + " in " + r)).outcome();
    }

    private static String detail(VerificationReport r, String check) {
        return r.check(check).orElseThrow().detail();
    }

    @Test
    void verify_minedProofOfATwoYearOldRecord_passesEveryCheck() {
        ProofFixture f = ProofFixture.mined(7, 4);

        VerificationReport r = verify(f, f.proofJson(true));

        assertTrue(r.passed(), () -> r.checks().toString());
        for (String c : new String[] {ProofVerifier.PARSES, ProofVerifier.TXID, ProofVerifier.RECORD, ProofVerifier.ENVELOPE,
                ProofVerifier.SIGNATURE, ProofVerifier.INPUTS, ProofVerifier.MERKLE, ProofVerifier.HEADER}) {
            assertEquals(Check.Outcome.PASS, outcome(r, c), c + ": " + r.checks());
        }
        assertEquals(f.tx.txid().hex(), r.txid());
    }

    @Test
    void verify_everyPositionInBlocksWithOddLevels_findsTheHeaderRoot() {
        for (int size : new int[] {1, 2, 3, 5, 6, 11}) {
            for (int i = 0; i < size; i++) {
                ProofFixture f = ProofFixture.mined(size, i);
                if (size == 1) {
                    continue; // a block always holds a coinbase besides our transaction
                }
                VerificationReport r = verify(f, f.proofJson(true));
                assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.HEADER), "size " + size + " index " + i + ": " + r.checks());
            }
        }
    }

    @Test
    void verify_notMinedYet_passesAndSkipsTheMerklePath() {
        ProofFixture f = ProofFixture.mined(4, 1);

        VerificationReport r = verify(f, f.proofJson(false));

        assertTrue(r.passed());
        assertEquals(Check.Outcome.SKIP, outcome(r, ProofVerifier.MERKLE));
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.SIGNATURE));
    }

    @Test
    void verify_oneByteOfThePayloadChangedInTheRawTransaction_failsOnTxidAndSignature() {
        ProofFixture f = ProofFixture.mined(5, 2);
        ObjectNode proof = f.proofJson(true);
        String raw = proof.get("rawTx").asText();
        // the payload holds "hello"; change one letter of it inside the transaction bytes
        String hello = Hashes.hex("hello".getBytes(StandardCharsets.UTF_8));
        String jello = Hashes.hex("jello".getBytes(StandardCharsets.UTF_8));
        assertTrue(raw.contains(hello));
        proof.put("rawTx", raw.replace(hello, jello));

        VerificationReport r = verify(f, proof);

        assertFalse(r.passed());
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.TXID));
        assertTrue(detail(r, ProofVerifier.TXID).contains("hashes to"), detail(r, ProofVerifier.TXID));
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.SIGNATURE));
        assertTrue(detail(r, ProofVerifier.SIGNATURE).startsWith("SIGNATURE_INVALID"), detail(r, ProofVerifier.SIGNATURE));
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.MERKLE), "the changed txid is not in the path");
    }

    @Test
    void verify_serverPublishedAPayloadTheClientDidNotSign_failsOnTheSignatureAlone() {
        ProofFixture f = ProofFixture.mined(6, 5);
        Envelope signed = f.envelope;
        // one byte of the payload differs; the server builds a perfectly valid transaction and block around it
        Envelope forged = new Envelope(signed.signedPayload().replace("\"n\":42", "\"n\":43"), signed.signature(), signed.pubkey());
        f.rebuild(forged, 6, 5);

        VerificationReport r = verify(f, f.proofJson(true));

        assertFalse(r.passed());
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.TXID));
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.HEADER));
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.SIGNATURE));
        assertEquals(r.firstFailure().orElseThrow().name(), ProofVerifier.SIGNATURE);
        assertTrue(detail(r, ProofVerifier.SIGNATURE).contains("SIGNATURE_INVALID"), detail(r, ProofVerifier.SIGNATURE));
    }

    @Test
    void verify_oneByteOfTheSignatureChanged_failsOnTheSignature() {
        ProofFixture f = ProofFixture.mined(3, 0);
        byte[] der = Base64.getDecoder().decode(f.envelope.signature());
        der[der.length - 1] ^= 0x01;
        f.rebuild(new Envelope(f.envelope.signedPayload(), Base64.getEncoder().encodeToString(der), f.envelope.pubkey()), 3, 0);

        VerificationReport r = verify(f, f.proofJson(true));

        assertFalse(r.passed());
        assertEquals(ProofVerifier.SIGNATURE, r.firstFailure().orElseThrow().name());
        assertTrue(detail(r, ProofVerifier.SIGNATURE).startsWith("SIGNATURE_"), detail(r, ProofVerifier.SIGNATURE));
    }

    @Test
    void verify_proofFieldsDifferFromTheChain_failsOnEnvelopeMatch() {
        ProofFixture f = ProofFixture.mined(4, 3);
        ObjectNode proof = f.proofJson(true);
        proof.put("signedPayload", f.envelope.signedPayload().replace("hello", "jello"));

        VerificationReport r = verify(f, proof);

        assertFalse(r.passed());
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.ENVELOPE));
        assertTrue(detail(r, ProofVerifier.ENVELOPE).contains("signedPayload"));
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.SIGNATURE), "the on-chain record itself is fine");
    }

    @Test
    void verify_oneByteOfASiblingHashInTheMerklePathChanged_failsAgainstTheBlockHeader() {
        ProofFixture f = ProofFixture.mined(8, 6);
        ObjectNode proof = f.proofJson(true);
        byte[] bump = Hashes.unhex(proof.get("merklePath").asText());
        bump[bump.length - 1] ^= 0x01; // last byte: the hash of the top-level sibling
        proof.put("merklePath", Hashes.hex(bump));

        VerificationReport r = verify(f, proof);

        assertFalse(r.passed());
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.MERKLE), "the path still parses and leads to some root");
        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.HEADER));
        assertTrue(detail(r, ProofVerifier.HEADER).contains("commits to merkle root"), detail(r, ProofVerifier.HEADER));
    }

    @Test
    void verify_merklePathTruncated_failsWithAParseReason() {
        ProofFixture f = ProofFixture.mined(8, 1);
        ObjectNode proof = f.proofJson(true);
        String hex = proof.get("merklePath").asText();
        proof.put("merklePath", hex.substring(0, hex.length() - 2));

        VerificationReport r = verify(f, proof);

        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.MERKLE));
        assertTrue(detail(r, ProofVerifier.MERKLE).contains("truncated"), detail(r, ProofVerifier.MERKLE));
    }

    @Test
    void verify_merklePathForAnotherHeight_fails() {
        ProofFixture f = ProofFixture.mined(4, 2);
        ObjectNode proof = f.proofJson(true);
        proof.put("blockHeight", f.height + 1);

        VerificationReport r = verify(f, proof);

        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.MERKLE));
        assertTrue(detail(r, ProofVerifier.MERKLE).contains("height"));
    }

    @Test
    void verify_txidTheUserAskedForIsNotTheTransaction_fails() {
        ProofFixture f = ProofFixture.mined(4, 2);

        VerificationReport r = new ProofVerifier(f.headers()).verify(Proof.fromJson(f.proofJson(true)), "ab".repeat(32), null);

        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.TXID));
    }

    @Test
    void verify_expectedSignerDiffers_fails() {
        ProofFixture f = ProofFixture.mined(4, 2);

        VerificationReport ok = new ProofVerifier(f.headers()).verify(Proof.fromJson(f.proofJson(true)), null, f.client.publicKey().hex());
        VerificationReport bad = new ProofVerifier(f.headers()).verify(Proof.fromJson(f.proofJson(true)), null, f.pool.publicKey().hex());

        assertTrue(ok.passed());
        assertEquals(Check.Outcome.FAIL, outcome(bad, ProofVerifier.SIGNER));
    }

    @Test
    void verify_inputLockingScriptOfAnotherKey_failsTheInputCheck() {
        ProofFixture f = ProofFixture.mined(4, 2);
        ObjectNode proof = f.proofJson(false);
        ((ObjectNode) proof.get("inputs").get(0)).put("lockingScript", Hashes.hex(f.client.p2pkhLockingScript()));

        VerificationReport r = verify(f, proof);

        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.INPUTS));
    }

    @Test
    void verify_garbageRawTransaction_failsToParse() {
        ProofFixture f = ProofFixture.mined(4, 2);
        ObjectNode proof = f.proofJson(false);
        proof.put("rawTx", "0100000001");

        VerificationReport r = verify(f, proof);

        assertEquals(Check.Outcome.FAIL, outcome(r, ProofVerifier.PARSES));
        assertFalse(r.passed());
    }

    @Test
    void verify_withoutAHeaderSource_skipsTheHeaderButStillChecksThePath() {
        ProofFixture f = ProofFixture.mined(4, 2);

        VerificationReport r = new ProofVerifier(HeaderSource.NONE).verify(Proof.fromJson(f.proofJson(true)), null, null);

        assertTrue(r.passed());
        assertEquals(Check.Outcome.PASS, outcome(r, ProofVerifier.MERKLE));
        assertEquals(Check.Outcome.SKIP, outcome(r, ProofVerifier.HEADER));
    }

    @Test
    void signer_isDeterministicForTheSamePayload() {
        // the fixture relies on EnvelopeSigner producing a verifiable signature for what it signs
        ProofFixture f = ProofFixture.mined(2, 0);
        Envelope again = EnvelopeSigner.sign(f.envelope.signedPayload(), f.client);
        assertEquals(f.envelope.signature(), again.signature(), "RFC 6979 signatures are deterministic");
    }
}
