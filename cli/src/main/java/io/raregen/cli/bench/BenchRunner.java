package io.raregen.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.commands.RegisterCommand;
import io.raregen.cli.publish.JobStatus;
import io.raregen.cli.publish.JobWaiter;
import io.raregen.cli.publish.WaitTarget;
import io.raregen.cli.publish.Publisher;
import io.raregen.cli.support.Json;
import io.raregen.core.keys.KeyPair;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load generator against a running API: N records from M fresh identities, submitted by C
 * concurrent clients, then followed to {@code sent}. Latency accept → sent comes from the job's
 * own timestamps ({@code createdAt} → {@code sentAt}), so client polling does not inflate it.
 */
public final class BenchRunner {

    /** Settings of one run. */
    public record Settings(int records, int identities, int concurrency, int recordBytes, Duration timeout, WaitTarget until) {
    }

    /** Hooks for progress display. */
    public interface Listener {
        void phase(String name, int total);

        void step();

        Listener NONE = new Listener() {
            @Override
            public void phase(String name, int total) {
            }

            @Override
            public void step() {
            }
        };
    }

    private final ApiClient client;
    private final Settings s;
    private final Listener listener;

    public BenchRunner(ApiClient client, Settings settings, Listener listener) {
        this.client = client;
        this.s = settings;
        this.listener = listener;
    }

    public ObjectNode run() throws ApiException, InterruptedException {
        List<KeyPair> keys = new ArrayList<>();
        listener.phase("register", s.identities());
        for (int i = 0; i < s.identities(); i++) {
            KeyPair k = KeyPair.generate();
            RegisterCommand.register(client, k, Instant.now());
            keys.add(k);
            listener.step();
        }

        List<Publisher> publishers = keys.stream().map(k -> new Publisher(client, k, Clock.systemUTC())).toList();
        String filler = filler(s.recordBytes());
        List<String> jobIds = Collections.synchronizedList(new ArrayList<>());
        List<Double> acceptMs = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        listener.phase("publish", s.records());
        ExecutorService pool = Executors.newFixedThreadPool(s.concurrency());
        long t0 = System.nanoTime();
        for (int w = 0; w < s.concurrency(); w++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < s.records()) {
                    ObjectNode rec = Json.MAPPER.createObjectNode();
                    rec.put("bench", i);
                    rec.put("data", filler);
                    long a = System.nanoTime();
                    try {
                        Publisher.Accepted acc = publishers.get(i % publishers.size()).publish(rec, null);
                        acceptMs.add((System.nanoTime() - a) / 1e6);
                        jobIds.add(acc.jobId());
                    } catch (ApiException e) {
                        rejected.computeIfAbsent(e.code(), c -> new AtomicInteger()).incrementAndGet();
                    } catch (RuntimeException e) {
                        rejected.computeIfAbsent("CLIENT_ERROR", c -> new AtomicInteger()).incrementAndGet();
                    }
                    listener.step();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        double submitSeconds = (System.nanoTime() - t0) / 1e9;

        listener.phase("wait " + s.until(), jobIds.size());
        Map<String, JsonNode> jobs = new JobWaiter(client, Duration.ofMillis(500), Math.min(16, s.concurrency()))
                .await(jobIds, s.until(), s.timeout(), j -> listener.step());
        double waitSeconds = (System.nanoTime() - t0) / 1e9 - submitSeconds;

        List<Double> e2e = new ArrayList<>();
        Instant firstCreated = null;
        Instant lastSent = null;
        int reached = 0;
        int failed = 0;
        String tsField = s.until() == WaitTarget.MINED ? "minedAt" : "sentAt";
        for (JsonNode j : jobs.values()) {
            String st = Json.text(j, "status");
            if ("failed".equals(st)) {
                failed++;
                continue;
            }
            if (!JobStatus.reached(st, s.until())) {
                continue;
            }
            reached++;
            Instant created = Instant.parse(Json.text(j, "createdAt"));
            String ts = Json.text(j, tsField);
            if (ts == null) {
                continue;
            }
            Instant done = Instant.parse(ts);
            e2e.add(Duration.between(created, done).toNanos() / 1e6);
            firstCreated = firstCreated == null || created.isBefore(firstCreated) ? created : firstCreated;
            lastSent = lastSent == null || done.isAfter(lastSent) ? done : lastSent;
        }

        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("api", client.base().toString());
        r.put("records", s.records());
        r.put("identities", s.identities());
        r.put("concurrency", s.concurrency());
        r.put("recordBytes", s.recordBytes());
        r.put("accepted", jobIds.size());
        ObjectNode rej = r.putObject("rejected");
        new TreeMap<>(rejected).forEach((k, v) -> rej.put(k, v.get()));
        r.put("submitSeconds", round(submitSeconds));
        r.put("acceptedPerSecond", round(jobIds.size() / submitSeconds));
        Percentiles http = new Percentiles(acceptMs);
        ObjectNode acc = r.putObject("acceptLatencyMs");
        acc.put("p50", round(http.p(50))).put("p90", round(http.p(90))).put("p99", round(http.p(99))).put("max", round(http.max()));
        r.put("until", s.until().status());
        r.put("reached", reached);
        r.put("failed", failed);
        r.put("unfinished", jobIds.size() - reached - failed);
        r.put("waitSeconds", round(waitSeconds));
        Percentiles lat = new Percentiles(e2e);
        ObjectNode l = r.putObject("acceptTo" + (s.until() == WaitTarget.MINED ? "Mined" : "Sent") + "Ms");
        l.put("p50", round(lat.p(50))).put("p90", round(lat.p(90))).put("p99", round(lat.p(99))).put("max", round(lat.max()))
                .put("mean", round(lat.mean()));
        double span = firstCreated == null ? Double.NaN : Duration.between(firstCreated, lastSent).toNanos() / 1e9;
        r.put("endToEndSeconds", round(span));
        r.put("endToEndPerSecond", round(reached / span));
        return r;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : -1;
    }

    private static String filler(int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
