package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.bench.BenchRunner;
import io.raregen.cli.publish.WaitTarget;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code raregen bench}: throughput and accept → sent latency against a running API. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load generator: throughput and accept -> sent latency against a running API.",
                "Publishes N records from M fresh identities, then reports",
                "throughput and latency percentiles (accept -> sent, from the jobs' own timestamps)."})
public final class BenchCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = {"-n", "--records"}, defaultValue = "1000", description = "Records to publish (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = {"-m", "--identities"}, defaultValue = "10", description = "Identities to register and sign with (default: ${DEFAULT-VALUE}).")
    int identities;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--record-bytes", defaultValue = "200", description = "Filler bytes per record (default: ${DEFAULT-VALUE}).")
    int recordBytes;

    @Option(names = "--until", converter = WaitTarget.Converter.class, defaultValue = "sent", paramLabel = "STATUS",
            description = "Wait for: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    WaitTarget until;

    @Option(names = "--timeout", defaultValue = "300", description = "Give up waiting after (default: ${DEFAULT-VALUE} s).")
    int timeout;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || identities < 1 || concurrency < 1) {
            throw new CliException(ExitCodes.USAGE, "BAD_OPTION", "records, identities and concurrency must be >= 1");
        }
        final Progress[] bar = {null};
        BenchRunner.Listener listener = new BenchRunner.Listener() {
            @Override
            public void phase(String name, int total) {
                if (bar[0] != null) {
                    bar[0].close();
                }
                bar[0] = Progress.start(env(), !json, name, total);
            }

            @Override
            public void step() {
                bar[0].step();
            }
        };
        ObjectNode r;
        try {
            r = new BenchRunner(api.client(env()),
                    new BenchRunner.Settings(records, identities, concurrency, recordBytes, Duration.ofSeconds(timeout), until),
                    listener).run();
        } catch (ApiException e) {
            throw apiFailure(e);
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        if (json) {
            printJson(r);
        } else {
            String latKey = until == WaitTarget.MINED ? "acceptToMinedMs" : "acceptToSentMs";
            JsonNode lat = r.path(latKey);
            JsonNode acc = r.path("acceptLatencyMs");
            out().printf("records %d from %d identities, %d concurrent clients, %d-byte records, against %s%n",
                    records, identities, concurrency, recordBytes, r.path("api").asText());
            out().printf("accepted   %d (rejected: %s) in %.2f s = %.1f records/s%n", r.path("accepted").asInt(), r.path("rejected"),
                    r.path("submitSeconds").asDouble(), r.path("acceptedPerSecond").asDouble());
            out().printf("  HTTP accept latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                    acc.path("p50").asDouble(), acc.path("p90").asDouble(), acc.path("p99").asDouble(), acc.path("max").asDouble());
            out().printf("%-10s %d, failed %d, unfinished %d; first accept -> last %s %.2f s = %.1f records/s%n",
                    until, r.path("reached").asInt(), r.path("failed").asInt(), r.path("unfinished").asInt(), until,
                    r.path("endToEndSeconds").asDouble(), r.path("endToEndPerSecond").asDouble());
            out().printf("  accept -> %s latency ms  p50 %.0f  p90 %.0f  p99 %.0f  max %.0f%n", until,
                    lat.path("p50").asDouble(), lat.path("p90").asDouble(), lat.path("p99").asDouble(), lat.path("max").asDouble());
        }
        boolean ok = r.path("failed").asInt() == 0 && r.path("unfinished").asInt() == 0 && r.path("accepted").asInt() == records;
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
