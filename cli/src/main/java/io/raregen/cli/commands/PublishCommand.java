package io.raregen.cli.commands;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.keys.Journal;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.keys.WalletKeys;
import io.raregen.cli.publish.JobStatus;
import io.raregen.cli.publish.JobWaiter;
import io.raregen.cli.publish.Publisher;
import io.raregen.core.envelope.PublishMode;
import io.raregen.cli.publish.WaitTarget;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.Progress;
import io.raregen.cli.support.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code raregen publish FILE...|-}: sign and submit JSON records. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Canonicalise (RFC 8785), sign with your identity key and submit JSON records.",
                "Each FILE holds one JSON value, the record; '-' reads one from standard input."})
public final class PublishCommand extends BaseCommand {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSON files, or - for standard input.")
    List<String> inputs;

    @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--record-id", paramLabel = "ID", description = "Your own id for the record (only with one FILE).")
    String recordId;

    @Option(names = "--wait", description = "Follow the jobs until they reach --until (or fail).")
    boolean await;

    @Option(names = "--until", converter = WaitTarget.Converter.class, defaultValue = "sent", paramLabel = "STATUS",
            description = "Status --wait waits for: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    WaitTarget until;

    @Option(names = "--wait-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE} s).")
    int waitTimeout;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Concurrent submissions (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Option(names = "--mode", defaultValue = "record", paramLabel = "MODE", converter = ModeConverter.class,
            description = "record: a transaction per record (default); anchor: a leaf of the next anchor batch, one "
                    + "transaction per batch (docs/PROTOCOL.md, Anchor mode).")
    PublishMode mode;

    /** record | anchor, as the API spells them. */
    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<PublishMode> {
        @Override
        public PublishMode convert(String value) {
            return PublishMode.fromWire(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a mode: record or anchor"));
        }
    }

    /** One input and what became of it. */
    record Item(String source, JsonNode record, String jobId, String status, String txid, String errorCode, String error) {
        Item with(String jobId, String status, String txid, String errorCode, String error) {
            return new Item(source, record, jobId, status, txid, errorCode, error);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (recordId != null && inputs.size() != 1) {
            throw new CliException(ExitCodes.USAGE, "BAD_OPTION", "--record-id needs exactly one FILE");
        }
        List<Item> items = readAll();
        Path dir = env().home(home);
        WalletKeys keys = Keys.unlock(env(), dir);
        ApiClient client = api.client(env());
        Publisher publisher = new Publisher(client, keys.identity(), env().clock());
        Journal journal = new Journal(dir);

        boolean many = items.size() > 1;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, items.size())));
        List<Future<Item>> futures = new ArrayList<>();
        try (Progress bar = Progress.start(env(), many && !json, "publish", items.size())) {
            for (Item it : items) {
                futures.add(pool.submit(() -> {
                    try {
                        Publisher.Accepted a = publisher.publish(it.record(), recordId, mode);
                        journal.record(a.jobId(), null, it.source());
                        return it.with(a.jobId(), a.status(), null, null, null);
                    } catch (ApiException e) {
                        return it.with(null, "rejected", null, e.code(), e.getMessage());
                    } finally {
                        bar.step();
                    }
                }));
            }
            for (int i = 0; i < items.size(); i++) {
                items.set(i, futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        if (items.stream().allMatch(i -> i.jobId() == null) && items.stream().anyMatch(i -> isUnreachable(i.errorCode()))) {
            throw new CliException(ExitCodes.API, items.get(0).errorCode(), items.get(0).error());
        }

        boolean timedOut = false;
        if (await) {
            List<String> ids = items.stream().filter(i -> i.jobId() != null).map(Item::jobId).toList();
            Map<String, JsonNode> last;
            try (Progress bar = Progress.start(env(), many && !json, "wait " + until, ids.size())) {
                last = new JobWaiter(client, Duration.ofMillis(500), parallel)
                        .await(ids, until, Duration.ofSeconds(waitTimeout), job -> bar.step());
            } catch (ApiException e) {
                throw apiFailure(e);
            }
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                JsonNode job = it.jobId() == null ? null : last.get(it.jobId());
                if (job != null) {
                    String txid = Json.text(job, "txid");
                    JsonNode err = job.get("error");
                    items.set(i, it.with(it.jobId(), Json.text(job, "status"), txid,
                            err == null || err.isNull() ? null : Json.text(err, "code"),
                            err == null || err.isNull() ? null : Json.text(err, "detail")));
                    if (txid != null) {
                        journal.record(it.jobId(), txid, it.source());
                    }
                }
            }
            timedOut = items.stream().anyMatch(i -> i.jobId() != null && !JobStatus.reached(i.status(), until));
        }
        print(items, client, timedOut);
        boolean allGood = items.stream().allMatch(i -> i.jobId() != null && !"failed".equals(i.status()))
                && !timedOut;
        return allGood ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static boolean isUnreachable(String code) {
        return "API_UNREACHABLE".equals(code) || "API_TIMEOUT".equals(code);
    }

    private List<Item> readAll() {
        List<Item> items = new ArrayList<>();
        boolean stdinUsed = false;
        for (String in : inputs) {
            JsonNode record;
            try {
                if (in.equals("-")) {
                    if (stdinUsed) {
                        throw new CliException(ExitCodes.USAGE, "BAD_INPUT", "'-' (standard input) can be given once");
                    }
                    stdinUsed = true;
                    record = STRICT.readTree(env().in());
                } else {
                    record = STRICT.readTree(Files.readString(Path.of(in)));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
                throw new CliException(ExitCodes.INPUT, "BAD_INPUT", in + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.INPUT, "BAD_INPUT", in + ": " + e.getMessage(), e);
            }
            if (record == null || record.isMissingNode() || record.isNull()) {
                throw new CliException(ExitCodes.INPUT, "BAD_INPUT", in + ": empty, or JSON null (a record must be a value)");
            }
            items.add(new Item(in, record, null, null, null, null, null));
        }
        return items;
    }

    private void print(List<Item> items, ApiClient client, boolean timedOut) {
        if (json) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (Item it : items) {
                ObjectNode n = arr.addObject();
                n.put("source", it.source());
                n.put("jobId", it.jobId());
                n.put("status", it.status());
                n.put("txid", it.txid());
                if (it.errorCode() != null) {
                    n.putObject("error").put("code", it.errorCode()).put("detail", it.error());
                }
            }
            printJson(arr);
            return;
        }
        if (items.size() == 1 && !await) {
            Item it = items.get(0);
            if (it.jobId() != null) {
                out().println("Accepted: job " + it.jobId() + " (" + it.status() + ")");
                out().println("Follow it: raregen status " + it.jobId() + " --follow   (" + client.base() + "/v1/jobs/" + it.jobId() + ")");
            } else {
                out().println("Rejected: " + it.errorCode() + " — " + it.error());
            }
            return;
        }
        Table t = new Table("SOURCE", "JOB", "STATUS", "TXID / ERROR");
        for (Item it : items) {
            t.row(it.source(), it.jobId(), it.status(), it.txid() != null ? it.txid()
                    : it.errorCode() != null ? it.errorCode() + ": " + it.error() : null);
        }
        t.print(out());
        long accepted = items.stream().filter(i -> i.jobId() != null).count();
        StringBuilder s = new StringBuilder().append(accepted).append(" accepted, ").append(items.size() - accepted).append(" rejected");
        if (await) {
            long reached = items.stream().filter(i -> i.jobId() != null && JobStatus.reached(i.status(), until)
                    && !"failed".equals(i.status())).count();
            long failed = items.stream().filter(i -> "failed".equals(i.status())).count();
            s.append("; ").append(reached).append(' ').append(until).append(", ").append(failed).append(" failed");
            if (timedOut) {
                s.append(", ").append(accepted - reached - failed).append(" still in progress after ").append(waitTimeout).append(" s");
            }
        }
        out().println(s);
    }
}
