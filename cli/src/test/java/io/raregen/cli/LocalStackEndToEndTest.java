package io.raregen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.LocalStackProcess;
import io.raregen.cli.verify.Hashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts {@code ./raregen local} the way a user does (a child process, fresh database, its own
 * ports), then drives it with the CLI: keys → register → publish 20 records → wait for sent →
 * verify every proof locally → follow one to mined and check its merkle path against the block →
 * mined arrived through ARC's status callback (an {@code arc_callbacks} row applied as {@code mined}) →
 * a tampered proof fails. Finally Ctrl-C (SIGTERM) must stop the launcher and both applications.
 */
class LocalStackEndToEndTest {

    @Test
    void localStack_twentyRecordsPublishedThroughTheCli_areSentVerifiedAndMined_thenCtrlCStopsEverything(@TempDir Path tmp)
            throws Exception {
        LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Options.defaults(tmp.resolve("state"), "local-stack-e2e.log"));
        int api = stack.apiPort();
        List<ProcessHandle> children = stack.children();
        boolean exited;
        try {
            assertTrue(children.size() >= 2, "functions and broadcaster run as child processes: " + children);
            assertTrue(stack.output().contains("web app       " + stack.apiUrl() + "/"), "the banner names the web app: " + stack.tail());

            String apiUrl = stack.apiUrl();
            String headers = stack.chainUrl() + "/admin/blocks/{hash}";
            InProcessCli cli = new InProcessCli(tmp.resolve("home"), apiUrl);

            // GIVEN a client with keys, registered
            cli.ok("keys", "new", "--kdf-iterations", "1000");
            cli.ok("register");

            // WHEN it publishes 20 records and waits for them to be sent
            List<String> files = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path f = tmp.resolve("record-" + i + ".json");
                Files.writeString(f, "{\"title\":\"record " + i + "\",\"tags\":[\"e2e\"],\"n\":" + i + "}");
                files.add(f.toString());
            }
            List<String> args = new ArrayList<>(List.of("publish", "--wait", "--wait-timeout", "120", "--json"));
            args.addAll(files);
            JsonNode published = Json.MAPPER.readTree(cli.ok(args.toArray(String[]::new)));

            // THEN every one is sent with a txid, and each proof verifies locally
            assertEquals(20, published.size());
            List<String> jobs = new ArrayList<>();
            for (JsonNode p : published) {
                assertTrue(List.of("sent", "mined").contains(p.path("status").asText()), p.toString());
                assertEquals(64, p.path("txid").asText().length(), p.toString());
                jobs.add(p.path("jobId").asText());
            }
            for (String job : jobs) {
                JsonNode report = Json.MAPPER.readTree(cli.ok("verify", job, "--mine", "--headers", headers, "--json"));
                assertEquals("PASS", report.path("result").asText(), report.toString());
            }

            // AND one followed to mined has a merkle path that leads to the block's root
            String job = jobs.get(0);
            cli.ok("status", job, "--follow", "--until", "mined", "--interval", "300", "--timeout", "90");
            JsonNode mined = Json.MAPPER.readTree(cli.ok("verify", job, "--headers", headers, "--json"));
            assertEquals("PASS", mined.path("result").asText(), mined.toString());
            assertTrue(mined.path("mined").asBoolean());
            assertEquals("PASS", outcome(mined, "merkle path"), mined.toString());
            assertEquals("PASS", outcome(mined, "block header"), mined.toString());
            // and mined came through ARC's callback (chain → functions POST /v1/callbacks/arc → arc_callbacks →
            // the broadcaster's arc-callbacks loop), not only through the confirmation poller, which the launcher
            // holds back for 15 s after sent
            List<String> txids = new ArrayList<>();
            published.forEach(p -> txids.add(p.path("txid").asText()));
            long minedByCallback = awaitMinedCallbacks(stack, txids, Duration.ofSeconds(30));
            assertTrue(minedByCallback >= 1, "no arc_callbacks row with outcome 'mined' for a published txid; callbacks: "
                    + callbackSummary(stack));
            // and the same txid resolves through the local journal
            String txid = published.get(0).path("txid").asText();
            assertEquals("PASS", Json.MAPPER.readTree(cli.ok("verify", txid, "--json")).path("result").asText());

            // AND a proof with one byte of its merkle path changed fails against the block header
            ObjectNode proof = (ObjectNode) new ApiClient(apiUrl, null, Duration.ofSeconds(10)).proof(job);
            byte[] bump = Hashes.unhex(proof.path("merklePath").asText());
            bump[bump.length - 1] ^= 0x01;
            proof.put("merklePath", Hashes.hex(bump));
            Path tampered = tmp.resolve("tampered-proof.json");
            Files.writeString(tampered, proof.toString());
            InProcessCli.Result bad = cli.run("verify", "--proof", tampered.toString(), "--headers", headers, "--json");
            assertEquals(1, bad.code(), bad.out());
            assertEquals("FAIL", outcome(Json.MAPPER.readTree(bad.out()), "block header"), bad.out());

            // AND records published in anchor mode share an anchor transaction, and each one's receipt verifies offline
            anchorFlow(cli, tmp, apiUrl, headers);

            // AND the operator view works against the same stack
            assertTrue(cli.ok("pool", "--admin-token", stack.adminToken()).contains("Conservation"));

            // AND a new user with an account (docs/ACCOUNTS.md): signs up with the code the stack's mail server got,
            // registers a key to the account, publishes (one credit), tops up from the local faucet and sees the
            // credits arrive after the confirmations
            accountsFlow(stack, tmp);
        } finally {
            // WHEN the user presses Ctrl-C (also the cleanup when the body failed)
            exited = stack.stop();
            stack.close(); // drops the database, writes target/local-stack-e2e.log
        }
        // THEN the launcher and both applications are gone and the API port is closed
        assertTrue(exited, "the launcher did not stop within 90 s after SIGTERM:\n" + stack.tail());
        for (ProcessHandle c : children) {
            c.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(c.isAlive(), "child " + c.pid() + " still alive");
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", api).close());
        assertTrue(stack.output().contains("stopped; data kept in"), stack.tail());
    }

    private static void accountsFlow(LocalStackProcess stack, Path tmp) throws Exception {
        InProcessCli alice = new InProcessCli(tmp.resolve("alice"), stack.apiUrl())
                .env("RAREGEN_LOCAL_MAILBOX", tmp.resolve("state/mail/inbox.jsonl").toString())
                .env("RAREGEN_LOCAL_CHAIN", stack.chainUrl());
        String login = alice.ok("login", "alice@example.com");
        assertTrue(login.contains("Signed up as alice@example.com") && login.contains("10 credits"), login);
        alice.ok("keys", "new", "--kdf-iterations", "1000");
        assertTrue(alice.ok("register").contains("to account alice@example.com"));
        Path record = tmp.resolve("alice-record.json");
        Files.writeString(record, "{\"title\":\"paid with a credit\"}");
        alice.ok("publish", "--wait", "--wait-timeout", "120", record.toString());
        assertEquals(9, Json.MAPPER.readTree(alice.ok("accounts", "me", "--json")).path("account").path("credits").asLong());

        String topup = alice.ok("accounts", "topup", "20000", "--wait", "90");
        assertTrue(topup.contains("Credited 200 credits"), topup);
        JsonNode ledger = Json.MAPPER.readTree(alice.ok("accounts", "ledger", "--json"));
        assertEquals(209, ledger.path("credits").asLong(), ledger.toString());
        List<String> kinds = new ArrayList<>();
        ledger.path("entries").forEach(e -> kinds.add(e.path("kind").asText()));
        assertEquals(List.of("topup", "publish", "starter"), kinds);
        JsonNode deposit = Json.MAPPER.readTree(alice.ok("accounts", "deposit", "--json"));
        assertEquals(200, deposit.path("payments").get(0).path("credits").asLong(), deposit.toString());
        alice.ok("logout");
    }

    /** Rows of {@code arc_callbacks} with outcome {@code mined} for these txids, waiting up to {@code timeout} for one. */
    private static long awaitMinedCallbacks(LocalStackProcess stack, List<String> txids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = stack.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM arc_callbacks WHERE outcome = 'mined' AND tx_status = 'MINED' AND txid = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", txids.toArray()));
            while (true) {
                long n;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
                if (n > 0 || System.nanoTime() > deadline) {
                    return n;
                }
                Thread.sleep(250);
            }
        }
    }

    /** Counts of {@code arc_callbacks} by status and outcome, for a failure message. */
    private static String callbackSummary(LocalStackProcess stack) throws Exception {
        try (Connection c = stack.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tx_status, COALESCE(outcome, 'pending'), count(*) FROM arc_callbacks "
                     + "GROUP BY 1, 2 ORDER BY 1, 2")) {
            StringBuilder b = new StringBuilder("[");
            while (rs.next()) {
                b.append(' ').append(rs.getString(1)).append('/').append(rs.getString(2)).append('=').append(rs.getLong(3));
            }
            return b.append(" ]").toString();
        }
    }

    /**
     * Anchor mode through the CLI (docs/PROTOCOL.md, Anchor mode): six records published with {@code --mode anchor}
     * are sent under one or two anchor transactions (one per window; the submissions may straddle two), each receipt,
     * saved to a file, verifies offline — record digest → path → root in the transaction's anchor output — and once
     * mined also its BUMP against the chain's header; a receipt with one path hash changed fails.
     */
    private static void anchorFlow(InProcessCli cli, Path tmp, String apiUrl, String headers) throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path f = tmp.resolve("anchored-" + i + ".json");
            Files.writeString(f, "{\"title\":\"anchored " + i + "\",\"n\":" + i + "}");
            files.add(f.toString());
        }
        List<String> args = new ArrayList<>(List.of("publish", "--mode", "anchor", "--wait", "--wait-timeout", "120", "--json"));
        args.addAll(files);
        JsonNode published = Json.MAPPER.readTree(cli.ok(args.toArray(String[]::new)));
        assertEquals(6, published.size());
        java.util.Set<String> txids = new java.util.HashSet<>();
        List<String> jobs = new ArrayList<>();
        for (JsonNode p : published) {
            assertTrue(List.of("sent", "mined").contains(p.path("status").asText()), p.toString());
            txids.add(p.path("txid").asText());
            jobs.add(p.path("jobId").asText());
        }
        assertTrue(txids.size() <= 2, "six records, one anchor transaction per window: " + txids);
        for (String job : jobs) {
            Path saved = tmp.resolve("receipt-" + job + ".json");
            cli.ok("verify", job, "--receipt", "--save", saved.toString(), "--json");
            JsonNode report = Json.MAPPER.readTree(cli.ok("verify", saved.toString(), "--mine", "--json"));
            assertEquals("PASS", report.path("result").asText(), report.toString());
            assertEquals("PASS", outcome(report, "anchor output"), report.toString());
            assertEquals("PASS", outcome(report, "anchor inclusion"), report.toString());
        }

        // followed to mined: the receipt's BUMP leads from the anchor txid to the root of the chain's header. A job of a
        // tree of two leaves or more, so that its path has a hash to tamper with below (six records in at most two
        // windows: one tree has at least three)
        String job = null;
        for (String j : jobs) {
            if (Json.MAPPER.readTree(tmp.resolve("receipt-" + j + ".json").toFile()).path("anchor").path("treeSize").asInt() >= 2) {
                job = j;
                break;
            }
        }
        assertNotNull(job, "a tree of at least two leaves among " + jobs);
        cli.ok("status", job, "--follow", "--until", "mined", "--interval", "300", "--timeout", "90");
        Path minedReceipt = tmp.resolve("anchored-mined-receipt.json");
        cli.ok("verify", job, "--receipt", "--save", minedReceipt.toString(), "--json");
        JsonNode mined = Json.MAPPER.readTree(cli.ok("verify", minedReceipt.toString(), "--headers", headers, "--json"));
        assertEquals("PASS", mined.path("result").asText(), mined.toString());
        assertEquals("PASS", outcome(mined, "anchor inclusion"), mined.toString());
        assertEquals("PASS", outcome(mined, "merkle path"), mined.toString());
        assertEquals("PASS", outcome(mined, "block header"), mined.toString());

        // a receipt whose path was changed by one bit no longer leads to the anchored root
        ObjectNode receipt = (ObjectNode) Json.MAPPER.readTree(minedReceipt.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode path = (com.fasterxml.jackson.databind.node.ArrayNode) receipt.path("anchor").path("path");
        assertTrue(path.size() >= 1, receipt.toString());
        byte[] first = Hashes.unhex(path.get(0).asText());
        first[0] ^= 0x01;
        path.set(0, Json.MAPPER.getNodeFactory().textNode(Hashes.hex(first)));
        Path tampered = tmp.resolve("anchored-tampered-receipt.json");
        Files.writeString(tampered, receipt.toString());
        InProcessCli.Result bad = cli.run("verify", tampered.toString(), "--json");
        assertEquals(1, bad.code(), bad.out());
        assertEquals("FAIL", outcome(Json.MAPPER.readTree(bad.out()), "anchor inclusion"), bad.out());
    }

    private static String outcome(JsonNode report, String check) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("check").asText().equals(check)) {
                return c.path("outcome").asText();
            }
        }
        return "ABSENT";
    }

}
