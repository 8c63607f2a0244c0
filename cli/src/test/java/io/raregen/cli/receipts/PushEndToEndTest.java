package io.raregen.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.raregen.cli.support.InProcessCli;
import io.raregen.cli.support.Json;
import io.raregen.cli.support.LocalStackProcess;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.webhooks.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.raregen.cli.support.JsonHttp.get;
import static io.raregen.cli.support.JsonHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push instead of poll, end to end on {@code ./raregen local}: a client registers a webhook ({@code raregen webhooks add})
 * and follows its key's event
 * stream, publishes records, and its webhook receiver is down for a while in the middle. Afterwards the receiver holds a
 * {@code job.sent} and a {@code job.mined} event for every job, each with a valid signature, in order per job; the
 * event-stream client, which reconnected with {@code Last-Event-ID} (at each window's end and once by force), holds
 * exactly the same events, as does {@code raregen events} replaying the stream from the start; every mined job's receipt verifies with
 * {@code raregen verify} and with {@code @bsv/sdk}; mined statuses came by batched ARC callbacks, not by polling.
 *
 * <p>CI runs a small case; the drill of the issue is {@code -Draregen.push.jobs=1000 -Draregen.push.outage=60}
 * (docs/WEBHOOKS.md).
 */
class PushEndToEndTest {
    private static final int JOBS = Integer.getInteger("raregen.push.jobs", 24);
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("raregen.push.outage", 8));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everySentAndMinedEvent_reachesTheWebhookAcrossAnOutage_andTheStream_andEveryReceiptVerifies(@TempDir Path tmp)
            throws Exception {
        long started = System.nanoTime();
        try (LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Options.defaults(tmp.resolve("state"),
                "push-e2e.log"))) {
            String api = stack.apiUrl();
            String chain = stack.chainUrl();

            // GIVEN a client with a CLI key, registered, and a webhook to a receiver on this machine (added by the CLI)
            Path home = tmp.resolve("home");
            InProcessCli cli = new InProcessCli(home, api);
            cli.ok("keys", "new", "--kdf-iterations", "1000");
            cli.ok("register");
            KeyPair key = io.raregen.cli.keys.Keys.unlock(io.raregen.cli.keys.KeyFile.load(home),
                    "end to end passphrase".toCharArray()).identity();
            Receiver receiver = new Receiver();
            receiver.start();
            String hookUrl = "http://127.0.0.1:" + receiver.port + "/hook";
            JsonNode hook = Json.MAPPER.readTree(cli.ok("webhooks", "add", hookUrl, "--json"));
            String secret = hook.path("secret").asText();
            assertTrue(secret.startsWith("whsec_"), hook.toString());
            JsonNode listed = Json.MAPPER.readTree(cli.ok("webhooks", "list", "--json")).path("webhooks");
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(hook.path("id").asText(), listed.get(0).path("id").asText());
            assertEquals("active", listed.get(0).path("status").asText());

            try (StreamFollower stream = new StreamFollower(api, key.publicKey().hex())) {
                stream.start();
                assertTrue(stream.ready.await(30, TimeUnit.SECONDS), "the event stream did not open");

                // WHEN it publishes records, and the receiver is down for OUTAGE in the middle
                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < JOBS / 2; i++) {
                    jobs.add(publish(api, key, i));
                }
                receiver.stop();
                long down = System.nanoTime();
                for (int i = JOBS / 2; i < JOBS; i++) {
                    jobs.add(publish(api, key, i));
                    if (i == JOBS * 3 / 4) {
                        stream.dropConnection(); // a browser that lost its connection: reconnects with Last-Event-ID
                    }
                }
                long left = OUTAGE.toNanos() - (System.nanoTime() - down);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                int duringOutage = receiver.deliveries.size();
                receiver.start();

                // THEN the receiver gets a sent and a mined event for every job
                Set<String> expected = new TreeSet<>();
                for (String j : jobs) {
                    expected.add(j + " job.sent");
                    expected.add(j + " job.mined");
                }
                Duration patience = Duration.ofSeconds(120 + JOBS / 5);
                awaitCovered(() -> receiver.covered(), expected, patience, "webhook", stack);
                awaitCovered(() -> stream.covered(), expected, patience, "event stream", stack);

                // each delivery is signed with the webhook's secret over its exact body; ids match the bodies
                Map<String, JsonNode> hookEvents = new HashMap<>();
                for (Delivery d : receiver.deliveries) {
                    assertTrue(WebhookSignature.verify(d.signature(), d.body(), secret, Duration.ofMinutes(30)),
                            "signature of " + d.eventId());
                    JsonNode e = Json.MAPPER.readTree(d.body());
                    assertEquals(d.eventId(), e.path("id").asText());
                    hookEvents.put(d.eventId(), e);
                }
                // in order per job: a job's mined event never arrives before its sent event
                Set<String> sentSeen = new HashSet<>();
                for (Delivery d : receiver.deliveries) {
                    JsonNode e = Json.MAPPER.readTree(d.body());
                    String job = e.path("jobId").asText();
                    if ("job.sent".equals(e.path("type").asText())) {
                        sentSeen.add(job);
                    } else if ("job.mined".equals(e.path("type").asText())) {
                        assertTrue(sentSeen.contains(job), "mined before sent for " + job);
                    }
                }
                // the stream client (reconnected at each window's end and once by force) holds the same events
                assertTrue(stream.connections.get() >= 2, "the stream reconnected: " + stream.connections.get());
                assertEquals(hookEvents.keySet(), stream.events.keySet(), "the stream's events are the webhook's");
                for (Map.Entry<String, JsonNode> e : stream.events.entrySet()) {
                    assertEquals(hookEvents.get(e.getKey()), e.getValue(), "same event JSON on both paths");
                }
                // and `raregen events` replays the stream from the start: the same events again
                Set<String> replayed = new TreeSet<>();
                for (String line : cli.ok("events", "--from", "start", "--max", Integer.toString(hookEvents.size()),
                        "--timeout", "120", "--json").split("\n")) {
                    if (!line.isBlank()) {
                        replayed.add(Json.MAPPER.readTree(line).path("id").asText());
                    }
                }
                assertEquals(new TreeSet<>(hookEvents.keySet()), replayed);
                assertEquals("No dead letters.", cli.ok("webhooks", "dead-letters", hook.path("id").asText()).trim());
                assertEquals(0, Json.MAPPER.readTree(cli.ok("webhooks", "replay", hook.path("id").asText(), "--json"))
                        .path("replayed").asInt());
                cli.ok("webhooks", "delete", hook.path("id").asText());
                assertEquals("disabled", Json.MAPPER.readTree(cli.ok("webhooks", "list", "--json")).path("webhooks").get(0)
                        .path("status").asText(), "deleted: nothing more is sent to it");

                // every mined job's receipt verifies with raregen verify and with @bsv/sdk
                Path keys = tmp.resolve("service-keys.json");
                Files.writeString(keys, get(api + "/v1/service-keys").body());
                BeefCheck sdk = new BeefCheck();
                for (String job : jobs) {
                    JsonNode receipt = Json.MAPPER.readTree(get(api + "/v1/jobs/" + job + "/receipt").body());
                    JsonNode proof = receipt.path("proof");
                    assertTrue(proof.has("blockHeader"), receipt.toString());
                    Path file = tmp.resolve("receipt-" + job + ".json");
                    Files.writeString(file, receipt.toString());
                    JsonNode report = Json.MAPPER.readTree(cli.ok("verify", file.toString(), "--service-keys", keys.toString(),
                            "--headers", chain + "/admin/blocks/{hash}", "--json"));
                    assertEquals("PASS", report.path("result").asText(), report.toString());
                    String header = Json.MAPPER.readTree(get(chain + "/admin/blocks/" + proof.path("blockHash").asText()).body())
                            .path("header").asText();
                    sdk.add(job, proof.path("beef").asText(), header, proof.path("blockHeight").asLong());
                }
                Map<String, BeefCheck.Verdict> verdicts = sdk.run(tmp);
                verdicts.forEach((job, v) -> assertTrue(v.valid(), job + ": " + v));

                // mined came by batched callbacks: the chain was asked about far fewer transactions than were mined
                JsonNode stats = Json.MAPPER.readTree(get(chain + "/admin/stats").body());
                assertTrue(stats.path("callbackBatches").asLong() > 0, stats.toString());
                assertTrue(stats.path("statusQueries").asLong() < JOBS, stats.toString());

                System.out.printf("push e2e: %d jobs, receiver down %d s (%d deliveries before it came back), %d webhook"
                                + " deliveries for %d events, %d stream connections, %d callback batches for %d callbacks,"
                                + " %d status queries, %.1f s in all%n",
                        JOBS, OUTAGE.toSeconds(), duringOutage, receiver.deliveries.size(), hookEvents.size(),
                        stream.connections.get(), stats.path("callbackBatches").asLong(),
                        stats.path("callbacksDelivered").asLong(), stats.path("statusQueries").asLong(),
                        (System.nanoTime() - started) / 1e9);
            } finally {
                receiver.stop();
            }
        }
    }

    private String publish(String api, KeyPair key, int i) throws Exception {
        ObjectNode record = Json.MAPPER.createObjectNode().put("title", "pushed " + i);
        Envelope e = EnvelopeSigner.sign(Payloads.publish(record, "push-" + i + "-" + System.nanoTime(), Instant.now(), null), key);
        HttpResponse<String> r = post(api + "/v1/publish", e.toJson());
        assertEquals(202, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body()).path("jobId").asText();
    }

    private static void awaitCovered(java.util.function.Supplier<Set<String>> got, Set<String> expected, Duration timeout,
                                     String what, LocalStackProcess stack) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (got.get().containsAll(expected)) {
                assertEquals(expected, got.get(), what + " got events of jobs it should not have");
                return;
            }
            Thread.sleep(250);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(got.get());
        throw new AssertionError(what + ": " + missing.size() + " events missing after " + timeout + ", e.g. "
                + missing.stream().limit(5).toList() + "\n" + stack.tail());
    }

    /** One webhook POST as it arrived. */
    record Delivery(String eventId, String signature, byte[] body) {
    }

    /** A webhook receiver on a fixed loopback port that can be stopped (connections refused) and started again. */
    static final class Receiver {
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        int port;
        private HttpServer server;

        synchronized void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            port = server.getAddress().getPort();
            server.createContext("/hook", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                deliveries.add(new Delivery(ex.getRequestHeaders().getFirst("RareGen-Event-Id"),
                        ex.getRequestHeaders().getFirst(WebhookSignature.HEADER), body));
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
                ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
                server = null;
            }
        }

        /** "jobId type" of every event received (duplicates collapse). */
        Set<String> covered() {
            Set<String> s = new TreeSet<>();
            for (Delivery d : deliveries) {
                try {
                    JsonNode e = Json.MAPPER.readTree(d.body());
                    s.add(e.path("jobId").asText() + " " + e.path("type").asText());
                } catch (IOException ex) {
                    s.add("unreadable " + d.eventId());
                }
            }
            return s;
        }
    }

    /** One Server-Sent Event: its id, event name and data (null when the field was absent). */
    record SseEvent(String id, String event, String data) {
        /** Reads the next event; null at the end of the stream. */
        static SseEvent next(BufferedReader in) throws IOException {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null) {
                        return new SseEvent(id, event, data == null ? null : data.toString());
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
            return null;
        }
    }

    /** An EventSource-like client: follows the key's stream from now, reconnecting with Last-Event-ID. */
    final class StreamFollower implements AutoCloseable {
        final Map<String, JsonNode> events = new ConcurrentHashMap<>();
        final AtomicInteger connections = new AtomicInteger();
        final CountDownLatch ready = new CountDownLatch(1);
        private final String api;
        private final String pubkey;
        private final Thread thread;
        private volatile boolean stop;
        private volatile InputStream current;
        private volatile String lastId;

        StreamFollower(String api, String pubkey) {
            this.api = api;
            this.pubkey = pubkey;
            this.thread = new Thread(this::run, "sse-follower");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void dropConnection() throws IOException {
            InputStream in = current;
            if (in != null) {
                in.close();
            }
        }

        Set<String> covered() {
            Set<String> s = new TreeSet<>();
            events.values().forEach(e -> s.add(e.path("jobId").asText() + " " + e.path("type").asText()));
            return s;
        }

        private void run() {
            while (!stop) {
                try {
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(api + "/v1/events?pubkey=" + pubkey
                            + (lastId == null ? "&from=now" : ""))).GET();
                    if (lastId != null) {
                        rb.header("Last-Event-ID", lastId);
                    }
                    HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                    connections.incrementAndGet();
                    current = r.body();
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                        SseEvent e;
                        while (!stop && (e = SseEvent.next(in)) != null) {
                            if (e.event() != null && e.event().startsWith("job.")) {
                                events.put(e.id(), Json.MAPPER.readTree(e.data()));
                            }
                            if (e.id() != null) {
                                lastId = e.id();
                            }
                            if ("ready".equals(e.event())) {
                                ready.countDown();
                            }
                        }
                    }
                } catch (IOException closedOrDown) {
                    // a dropped connection: reconnect, as EventSource does after `retry`
                } catch (InterruptedException interrupted) {
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            dropConnection();
            thread.interrupt();
        }
    }
}
