package io.raregen.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.keys.KeyFile;
import io.raregen.cli.keys.Keys;
import io.raregen.cli.support.CliException;
import io.raregen.cli.support.ExitCodes;
import io.raregen.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code raregen events}: your jobs' events (sent, mined, failed, reorged) from {@code GET /v1/events}, as they
 * happen. Each response of the stream lasts a window; the command reconnects with the last event id, as a
 * browser's EventSource does, so nothing is missed between responses.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Follow your jobs' events (sent, mined, failed, reorged) from the API's event stream.")
public final class EventsCommand extends BaseCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--home", paramLabel = "DIR", description = "Key directory (default: $RAREGEN_HOME or ~/.raregen).")
    Path home;

    @Option(names = "--pubkey", paramLabel = "HEX", description = "Follow this key instead of your identity key.")
    String pubkey;

    @Option(names = "--from", paramLabel = "start|now", defaultValue = "now",
            description = "Where to begin without --after: 'start' of the log or 'now' (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--after", paramLabel = "EVENT_ID", description = "Resume after this event id (as Last-Event-ID).")
    String after;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N job events.")
    Integer max;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this long (default: run until interrupted).")
    Integer timeoutSeconds;

    @Option(names = "--json", description = "Print each event's JSON on one line.")
    boolean json;

    @Override
    public Integer call() {
        String key = pubkey != null ? pubkey : identityPubkey();
        if (!"now".equals(from) && !"start".equals(from)) {
            throw new CliException(ExitCodes.USAGE, "BAD_FROM", "--from must be 'start' or 'now'");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = api.client(env()).base().toString().replaceAll("/+$", "");
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = after;
        int seen = 0;
        int failures = 0;
        while ((max == null || seen < max) && System.nanoTime() < deadline) {
            String url = base + "/v1/events?pubkey=" + key + (last == null ? "&from=" + from : "");
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
            if (last != null) {
                rb.header("Last-Event-ID", last);
            }
            try {
                HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    JsonNode problem = readProblem(r.body());
                    throw new CliException(ExitCodes.API, problem.path("code").asText("HTTP_" + r.statusCode()),
                            problem.path("detail").asText("GET /v1/events answered " + r.statusCode()));
                }
                failures = 0;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String id = null;
                    String event = null;
                    StringBuilder data = new StringBuilder();
                    String line;
                    while ((max == null || seen < max) && System.nanoTime() < deadline && (line = in.readLine()) != null) {
                        if (line.isEmpty()) {
                            if (id != null) {
                                last = id;
                            }
                            if (event != null && event.startsWith("job.")) {
                                print(id, event, data.toString());
                                seen++;
                            }
                            id = null;
                            event = null;
                            data.setLength(0);
                        } else if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                            event = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).trim());
                        }
                    }
                }
            } catch (IOException e) {
                if (++failures >= 5) {
                    throw new CliException(ExitCodes.API, "NETWORK", "the event stream cannot be reached: " + e.getMessage(), e);
                }
                sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!json && last != null) {
            err().println("Last event id: " + last + " (resume with --after " + last + ")");
        }
        return ExitCodes.OK;
    }

    private String identityPubkey() {
        KeyFile file = Keys.load(env().home(home));
        return file.publicKeys().get("identity");
    }

    private void print(String id, String event, String data) {
        if (json) {
            out().println(data);
        } else {
            JsonNode e;
            try {
                e = Json.MAPPER.readTree(data);
            } catch (IOException ex) {
                out().println(id + "  " + event + "  " + data);
                out().flush();
                return;
            }
            out().printf("%s  %-11s %s  %s%s%n", e.path("at").asText(), event, e.path("jobId").asText(),
                    e.path("txid").asText("-"), e.hasNonNull("blockHeight") ? "  block " + e.path("blockHeight").asText() : "");
        }
        out().flush();
    }

    private static JsonNode readProblem(InputStream body) {
        try (body) {
            return Json.MAPPER.readTree(body.readNBytes(64 * 1024));
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
