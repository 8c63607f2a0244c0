package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.TestEnv;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code raregen verify --proof FILE}: the report a user reads and the exit code a script reads. */
class VerifyCommandTest {

    private static ObjectNode proof(String payloadTamper) {
        KeyPair client = KeyPair.generate();
        KeyPair pool = KeyPair.generate();
        String payload = Payloads.publish(Json.MAPPER.createObjectNode().put("a", 1), "n1", Instant.now(), null);
        var env = EnvelopeSigner.sign(payload, client);
        if (payloadTamper != null) {
            env = new io.raregen.core.envelope.Envelope(payload.replace("\"a\":1", payloadTamper), env.signature(), env.pubkey());
        }
        byte[] prev = new byte[32];
        prev[0] = 7;
        Utxo u = new Utxo(new Outpoint(Txid.fromWireBytes(prev), 0), Satoshis.of(500), pool.p2pkhLockingScript());
        SignedTransaction tx = PublishTransactions.build(List.of(u), pool, env, pool.p2pkhLockingScript(), FeeRate.perKb(1));
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", "01JABCDEFGHJKMNPQRSTVWXYZ0").put("status", "sent").put("txid", tx.txid().hex()).put("rawTx", tx.rawHex());
        n.putArray("inputs").addObject().put("txid", u.outpoint().txid().hex()).put("vout", 0).put("satoshis", 500)
                .put("lockingScript", HexFormat.of().formatHex(u.lockingScript()));
        n.put("outputIndex", 0).put("signedPayload", env.signedPayload()).put("signature", env.signature()).put("pubkey", env.pubkey());
        return n;
    }

    @Test
    void verify_goodProofFile_printsPassAndExitsZero(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("proof.json");
        Files.writeString(f, proof(null).toString());
        TestEnv t = new TestEnv();

        int code = t.run("verify", "--proof", f.toString());

        assertEquals(ExitCodes.OK, code, t.out + t.err.toString());
        assertTrue(t.out.toString().contains("RESULT: PASS"), t.out.toString());
        assertTrue(t.out.toString().contains("SKIP  merkle path"), t.out.toString());
    }

    @Test
    void verify_tamperedPayload_printsFailWithTheReasonAndExitsOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("proof.json");
        Files.writeString(f, proof("\"a\":2").toString());
        TestEnv t = new TestEnv();

        int code = t.run("verify", "--proof", f.toString(), "--json");

        assertEquals(ExitCodes.FAILED, code);
        JsonNode r = Json.MAPPER.readTree(t.out.toString());
        assertEquals("FAIL", r.get("result").asText());
        boolean signatureFailed = false;
        for (JsonNode c : r.get("checks")) {
            if (c.get("check").asText().equals("client signature")) {
                signatureFailed = c.get("outcome").asText().equals("FAIL") && c.get("detail").asText().contains("SIGNATURE_INVALID");
            }
        }
        assertTrue(signatureFailed, r.toString());
    }

    @Test
    void verify_unknownTxidWithoutJournal_isAUsageError(@TempDir Path home) {
        TestEnv t = new TestEnv();
        t.vars.put("RAREGEN_HOME", home.toString());

        assertEquals(ExitCodes.USAGE, t.run("verify", "ab".repeat(32)));
        assertTrue(t.err.toString().contains("UNKNOWN_TXID"));
    }

    @Test
    void status_againstNothingListening_exitsWithTheApiCode() {
        TestEnv t = new TestEnv();

        int code = t.run("status", "01JABCDEFGHJKMNPQRSTVWXYZ0", "--api", "http://127.0.0.1:1");

        assertEquals(ExitCodes.API, code);
        assertTrue(t.err.toString().contains("API_UNREACHABLE"), t.err.toString());
    }

    @Test
    void everyCommand_hasHelp() {
        TestEnv t = new TestEnv();
        for (String[] cmd : new String[][] {{"--help"}, {"keys", "new", "--help"}, {"keys", "show", "--help"}, {"keys", "export", "--help"},
                {"register", "--help"}, {"publish", "--help"}, {"status", "--help"}, {"verify", "--help"}, {"pool", "--help"},
                {"pool", "fund", "--help"}, {"jobs", "failed", "--help"}, {"jobs", "retry", "--help"}, {"ops", "--help"}, {"bench", "--help"}}) {
            assertEquals(0, t.run(cmd), String.join(" ", cmd));
            assertTrue(t.out.toString().contains("Usage:"), String.join(" ", cmd));
        }
    }
}
