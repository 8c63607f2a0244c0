package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.keys.Journal;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.verify.Check;
import io.raregen.cli.verify.HeaderSource;
import io.raregen.cli.verify.HttpHeaderSource;
import io.raregen.cli.verify.Proof;
import io.raregen.cli.verify.ProofVerifier;
import io.raregen.cli.verify.ReceiptVerifier;
import io.raregen.cli.verify.ServiceKeySet;
import io.raregen.cli.verify.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code raregen verify JOB|TXID|RECEIPT.json}: checks a publication locally, trusting nothing the server says. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a publication locally, trusting nothing the server says.",
                "Fetches the proof of a job and checks: the transaction parses, its txid is the double",
                "SHA-256 of its bytes, its OP_RETURN output decodes to the envelope, the client signature is valid,",
                "and (once mined) the merkle path leads to the block's merkle root.",
                "Given a receipt file (GET /v1/jobs/{id}/receipt), checks it offline: the service's signature",
                "and key, the envelope hash, then the same checks on its transaction and BEEF."})
public final class VerifyCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(paramLabel = "JOB|TXID|FILE", arity = "0..1",
            description = "A job id, a txid this client published (looked up in the local journal), or a saved receipt file.")
    String target;

    @Option(names = "--receipt", description = "Fetch and check the job's receipt (GET /v1/jobs/{id}/receipt) instead of its proof.")
    boolean receipt;

    @Option(names = "--save", paramLabel = "FILE", description = "With --receipt: also write the fetched receipt to FILE (keep it; it verifies offline).")
    Path save;

    @Option(names = "--service-key", paramLabel = "PUBKEY", description = "Receipts: the service's receipt key (compressed public key hex).")
    String serviceKey;

    @Option(names = "--service-keys", paramLabel = "FILE|URL",
            description = "Receipts: the service's published keys (a saved GET /v1/service-keys, or its URL).")
    String serviceKeys;

    @Option(names = "--proof", paramLabel = "FILE", description = "Verify a saved proof (JSON of GET /v1/jobs/{id}/proof) offline.")
    Path proofFile;

    @Option(names = "--headers", paramLabel = "URL",
            description = "Where to fetch block headers from ({hash} and {height} are replaced; default: $RAREGEN_HEADERS_URL).")
    String headersUrl;

    @Option(names = "--signer", paramLabel = "PUBKEY", description = "Also require this signer (compressed public key hex).")
    String signer;

    @Option(names = "--mine", description = "Also require that the signer is your identity key.")
    boolean mine;

    @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (target == null && proofFile == null) {
            throw new CliException(ExitCodes.USAGE, "BAD_USAGE", "give a JOB or TXID, or --proof FILE");
        }
        String expectedTxid = null;
        JsonNode proofJson;
        if (proofFile == null && target != null && !target.matches("[0-9A-Za-z]{26}|[0-9a-fA-F]{64}") && Files.isRegularFile(Path.of(target))) {
            proofFile = Path.of(target);
            target = null;
        }
        if (proofFile != null) {
            try {
                proofJson = Json.MAPPER.readTree(proofFile.toFile());
            } catch (IOException e) {
                throw new CliException(ExitCodes.INPUT, "BAD_INPUT", proofFile + ": " + e.getMessage(), e);
            }
            if (target != null && target.matches("[0-9a-fA-F]{64}")) {
                expectedTxid = target.toLowerCase();
            }
        } else {
            String jobId = target;
            if (target.matches("[0-9a-fA-F]{64}")) {
                expectedTxid = target.toLowerCase();
                jobId = new Journal(env().home(home)).jobForTxid(expectedTxid).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                        "UNKNOWN_TXID", "no job of this client published " + target + "; give the job id instead"));
            }
            ApiClient client = api.client(env());
            try {
                proofJson = receipt ? client.receipt(jobId) : client.proof(jobId);
                if (receipt && save != null) {
                    Files.writeString(save, Json.pretty(proofJson) + System.lineSeparator());
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.INPUT, "BAD_INPUT", save + ": " + e.getMessage(), e);
            } catch (ApiException e) {
                if (e.status() == 409) {
                    throw new CliException(ExitCodes.FAILED, e.code(), "no proof for job " + jobId + " (yet): " + e.getMessage(), e);
                }
                throw apiFailure(e);
            }
        }
        String expectedSigner = signer;
        if (mine) {
            KeyFile kf = Keys.load(env().home(home));
            expectedSigner = kf.publicKeys().get("identity");
        }
        String headers = headersUrl != null ? headersUrl : env().env("RAREGEN_HEADERS_URL");
        HeaderSource source = headers == null ? HeaderSource.NONE : new HttpHeaderSource(headers);
        if (proofJson.has("acceptance")) {
            ReceiptVerifier.Result result = new ReceiptVerifier(source, serviceKeySet()).verify(proofJson, expectedSigner);
            printReceipt(result, proofJson);
            return result.report().passed() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        Proof proof = Proof.fromJson(proofJson);
        VerificationReport report = new ProofVerifier(source).verify(proof, expectedTxid, expectedSigner);
        print(report, proof);
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private ServiceKeySet serviceKeySet() {
        if (serviceKey != null) {
            return ServiceKeySet.single(serviceKey);
        }
        if (serviceKeys == null) {
            return null;
        }
        try {
            if (serviceKeys.startsWith("http://") || serviceKeys.startsWith("https://")) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serviceKeys))
                        .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new CliException(ExitCodes.API, "SERVICE_KEYS_UNAVAILABLE", "HTTP " + r.statusCode() + " from " + serviceKeys);
                }
                return ServiceKeySet.fromJson(serviceKeys, Json.MAPPER.readTree(r.body()));
            }
            return ServiceKeySet.fromJson(serviceKeys, Json.MAPPER.readTree(Path.of(serviceKeys).toFile()));
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "BAD_INPUT", serviceKeys + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.API, "SERVICE_KEYS_UNAVAILABLE", "interrupted", e);
        }
    }

    private void printReceipt(ReceiptVerifier.Result result, JsonNode receipt) {
        VerificationReport r = result.report();
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("jobId", r.jobId());
            n.put("txid", r.txid());
            n.put("status", result.status());
            n.put("result", r.passed() ? "PASS" : "FAIL");
            ArrayNode checks = n.putArray("checks");
            for (Check c : r.checks()) {
                checks.addObject().put("check", c.name()).put("outcome", c.outcome().name()).put("detail", c.detail());
            }
            printJson(n);
            return;
        }
        out().println("Verifying receipt of job " + r.jobId() + " (" + result.status() + ")" + (r.txid() != null ? ", txid " + r.txid() : ""));
        for (Check c : r.checks()) {
            out().printf("  %-4s  %-22s %s%n", c.outcome(), c.name(), c.detail());
        }
        if (r.passed()) {
            JsonNode st = receipt.path("acceptance").path("statement");
            out().println("RESULT: PASS — " + st.path("service").path("name").asText() + " accepted the envelope at "
                    + st.path("acceptedAt").asText() + " (key " + st.path("service").path("keyId").asText() + ")"
                    + (r.txid() == null ? "; not published yet"
                    : "; record signed by " + result.signer() + " is " + (receipt.path("anchor").isObject()
                    ? "leaf " + receipt.path("anchor").path("leafIndex").asInt() + " of anchor batch "
                    + receipt.path("anchor").path("batchId").asText() + ", whose root is in transaction " : "in transaction ") + r.txid()
                    + (result.blockHeight() != null ? ", mined at height " + result.blockHeight() : " (not mined yet: fetch the receipt again later)")));
        } else {
            Check f = r.firstFailure().orElseThrow();
            out().println("RESULT: FAIL — " + f.name() + ": " + f.detail());
        }
        out().flush();
    }

    private void print(VerificationReport r, Proof p) {
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("jobId", r.jobId());
            n.put("txid", r.txid());
            n.put("result", r.passed() ? "PASS" : "FAIL");
            n.put("mined", p.mined());
            ArrayNode checks = n.putArray("checks");
            for (Check c : r.checks()) {
                checks.addObject().put("check", c.name()).put("outcome", c.outcome().name()).put("detail", c.detail());
            }
            printJson(n);
            return;
        }
        out().println("Verifying " + (r.jobId() != null ? "job " + r.jobId() + ", " : "") + "txid " + r.txid());
        for (Check c : r.checks()) {
            out().printf("  %-4s  %-22s %s%n", c.outcome(), c.name(), c.detail());
        }
        if (r.passed()) {
            String signerKey = p.pubkey();
            out().println("RESULT: PASS — record signed by " + signerKey + " is in transaction " + r.txid()
                    + (p.mined() ? ", mined at height " + p.blockHeight() : " (not mined yet: run again later for the merkle proof)"));
        } else {
            Check f = r.firstFailure().orElseThrow();
            out().println("RESULT: FAIL — " + f.name() + ": " + f.detail());
        }
        out().flush();
    }
}
