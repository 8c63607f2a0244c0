package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.keys.Journal;
import io.raregen.cli.publish.JobStatus;
import io.raregen.cli.publish.WaitTarget;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Objects;

/** {@code raregen status JOB [--follow]}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a job; --follow prints each change until it is final.")
public final class StatusCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(paramLabel = "JOB", description = "The job id (26-character ULID).")
    String jobId;

    @Option(names = {"-f", "--follow"}, description = "Poll until the job is mined or failed (or --until).")
    boolean follow;

    @Option(names = "--until", converter = WaitTarget.Converter.class, paramLabel = "STATUS", defaultValue = "mined",
            description = "With --follow, stop at this status: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    WaitTarget until;

    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000", description = "Poll interval (default: ${DEFAULT-VALUE} ms).")
    long interval;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Give up following after (default: ${DEFAULT-VALUE} s).")
    long timeout;

    @Option(names = "--home", paramLabel = "DIR", description = "Key directory, for the local job journal (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--json", description = "Print the job as JSON (one document per change with --follow).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ApiClient client = api.client(env());
        Journal journal = new Journal(env().home(home));
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        String lastStatus = null;
        JsonNode job;
        while (true) {
            try {
                job = client.job(jobId);
            } catch (ApiException e) {
                throw apiFailure(e);
            }
            String status = Json.text(job, "status");
            if (!Objects.equals(status, lastStatus)) {
                print(job, lastStatus != null);
                lastStatus = status;
                if (Json.text(job, "txid") != null) {
                    journal.record(jobId, Json.text(job, "txid"), null);
                }
            }
            if (!follow || JobStatus.reached(status, until)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(ExitCodes.FAILED, "WAIT_TIMEOUT", "job " + jobId + " still " + status + " after " + timeout + " s");
            }
            Thread.sleep(interval);
        }
        return "failed".equals(lastStatus) ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private void print(JsonNode job, boolean change) {
        if (json) {
            out().println(json(job));
            out().flush();
            return;
        }
        if (change) {
            out().println("-> " + Json.text(job, "status") + (Json.text(job, "txid") != null ? "  txid " + Json.text(job, "txid") : ""));
            if ("mined".equals(Json.text(job, "status"))) {
                field("block", Json.text(job, "blockHeight"));
            }
            printError(job);
            out().flush();
            return;
        }
        field("job", Json.text(job, "jobId"));
        field("status", Json.text(job, "status"));
        field("recordId", Json.text(job, "recordId"));
        field("txid", Json.text(job, "txid"));
        String batch = Json.text(job, "batchId");
        if (batch != null) {
            field("batch", batch + (Json.text(job, "batchSeq") != null ? " #" + Json.text(job, "batchSeq") : ""));
        }
        field("created", Json.text(job, "createdAt"));
        field("sent", Json.text(job, "sentAt"));
        field("mined", Json.text(job, "minedAt"));
        field("block", Json.text(job, "blockHeight"));
        printError(job);
        out().flush();
    }

    private void printError(JsonNode job) {
        JsonNode err = job.get("error");
        if (err != null && !err.isNull()) {
            field("error", Json.text(err, "code") + ": " + Json.text(err, "detail"));
        }
    }

    private void field(String name, String value) {
        if (value != null) {
            out().printf("%-9s %s%n", name, value);
        }
    }

    private static String json(JsonNode n) {
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (Exception e) {
            return n.toString();
        }
    }
}
