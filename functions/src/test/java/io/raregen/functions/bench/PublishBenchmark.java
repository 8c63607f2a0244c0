package io.raregen.functions.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.TestEnv;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: drives POST /v1/publish on the Netty host with many concurrent JDK HttpClient
 * clients, against a real Postgres (TestDatabase) and in-process ElasticMQ, and prints accepted
 * publishes per second and p50/p99 latency.
 *
 * <p>Args: {@code [clients=64] [seconds=20] [warmupSeconds=5] [identities=50]}.
 */
public final class PublishBenchmark {

    public static void main(String[] args) throws Exception {
        int clients = arg(args, 0, 64);
        int seconds = arg(args, 1, 20);
        int warmup = arg(args, 2, 5);
        int identityCount = arg(args, 3, 50);

        try (TestEnv env = TestEnv.create()) {
            Map<String, Object> props = new HashMap<>(env.properties());
            props.put("micronaut.server.port", "-1");
            props.put("datasources.default.maximum-pool-size", System.getProperty("bench.pool", "16"));
            props.put("raregen.queue.sender-threads", System.getProperty("bench.senders", "2"));
            props.put("raregen.queue.batch-linger", System.getProperty("bench.linger", "2ms"));
            try (ApplicationContext ctx = ApplicationContext.run(props, "bench")) {
                EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
                URI publish = server.getURI().resolve("/v1/publish");

                List<KeyPair> keys = new ArrayList<>();
                for (int i = 0; i < identityCount; i++) {
                    KeyPair k = KeyPair.generate();
                    keys.add(k);
                    env.execute("INSERT INTO identities (pubkey) VALUES (?)", k.publicKey().hex());
                }
                int total = (int) Math.min(400_000, (long) (seconds + warmup) * Integer.getInteger("bench.rate", 2_500));
                System.out.printf("pre-signing %,d envelopes for %d identities...%n", total, identityCount);
                ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
                for (int i = 0; i < total; i++) {
                    bodies.add(Envelopes.body(Envelopes.publish(keys.get(i % keys.size()))));
                }

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
                long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
                AtomicLong accepted = new AtomicLong();
                AtomicLong lastDone = new AtomicLong();
                AtomicLong other = new AtomicLong();
                AtomicInteger errors = new AtomicInteger();
                long[][] latencies = new long[clients][];
                int[] counts = new int[clients];
                CountDownLatch done = new CountDownLatch(clients);
                for (int c = 0; c < clients; c++) {
                    final int id = c;
                    latencies[id] = new long[1_000_000 / clients + 1000];
                    Thread t = new Thread(() -> {
                        try {
                            while (true) {
                                long now = System.nanoTime();
                                if (now >= end) {
                                    return;
                                }
                                String body = bodies.poll();
                                if (body == null) {
                                    return;
                                }
                                HttpRequest req = HttpRequest.newBuilder(publish)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                                long t0 = System.nanoTime();
                                int status;
                                try {
                                    status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                                } catch (Exception e) {
                                    errors.incrementAndGet();
                                    continue;
                                }
                                long t1 = System.nanoTime();
                                lastDone.accumulateAndGet(t1, Math::max);
                                if (t0 >= warmupEnd) {
                                    if (status == 202) {
                                        accepted.incrementAndGet();
                                    } else {
                                        other.incrementAndGet();
                                    }
                                    if (counts[id] < latencies[id].length) {
                                        latencies[id][counts[id]++] = t1 - t0;
                                    }
                                }
                            }
                        } finally {
                            done.countDown();
                        }
                    }, "client-" + c);
                    t.start();
                }
                while (System.nanoTime() < warmupEnd && done.getCount() > 0) {
                    Thread.sleep(5);
                }
                Map<String, Long> cpuStart = threadCpu();
                long pgStart = postgresCpu();
                long acceptedAtStart = accepted.get();
                done.await();
                Map<String, Long> cpuEnd = threadCpu();
                long pgEnd = postgresCpu();
                long[] all = new long[Arrays.stream(counts).sum()];
                int pos = 0;
                for (int c = 0; c < clients; c++) {
                    System.arraycopy(latencies[c], 0, all, pos, counts[c]);
                    pos += counts[c];
                }
                Arrays.sort(all);
                double secondsRun = Math.max(0.001, (Math.min(end, lastDone.get()) - warmupEnd) / 1e9);
                System.out.printf("clients=%d planned=%ds warmup=%ds pool=%s senders=%s linger=%s%n", clients, seconds, warmup,
                        props.get("datasources.default.maximum-pool-size"), props.get("raregen.queue.sender-threads"),
                        props.get("raregen.queue.batch-linger"));
                System.out.printf("accepted (202): %,d in %.1f s -> %.0f publishes/s; other status: %d; transport errors: %d%n",
                        accepted.get(), secondsRun, accepted.get() / secondsRun, other.get(), errors.get());
                System.out.printf("latency ms: p50=%.2f p90=%.2f p99=%.2f max=%.2f%n",
                        pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
                long n = Math.max(1, accepted.get() - acceptedAtStart);
                System.out.println("CPU per accepted publish during the measured window:");
                long totalNs = 0;
                for (Map.Entry<String, Long> e : cpuEnd.entrySet()) {
                    long d = e.getValue() - cpuStart.getOrDefault(e.getKey(), 0L);
                    if (d > 0) {
                        totalNs += d;
                        System.out.printf("  %-40s %8.1f us%n", e.getKey(), d / 1e3 / n);
                    }
                }
                System.out.printf("  %-40s %8.1f us%n", "postgres (all backends)", (pgEnd - pgStart) / 1e3 / n);
                totalNs += pgEnd - pgStart;
                double serverNs = totalNs;
                for (Map.Entry<String, Long> e : cpuEnd.entrySet()) {
                    if (e.getKey().startsWith("load generator")) {
                        serverNs -= e.getValue() - cpuStart.getOrDefault(e.getKey(), 0L);
                    }
                }
                System.out.printf("  total %.1f us (without the load generator %.1f us) -> CPU-bound ceiling on 2 idle cores: %.0f/s (%.0f/s with the load generator elsewhere)%n",
                        totalNs / 1e3 / n, serverNs / 1e3 / n, 2e9 / (totalNs / (double) n), 2e9 / (serverNs / n));
                System.out.printf("load average now: %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                io.micrometer.core.instrument.MeterRegistry meters = ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                double b = meters.counter("raregen.queue.send.batches").count();
                System.out.printf("SendMessageBatch calls: %.0f, messages per call: %.2f%n", b,
                        b == 0 ? 0 : meters.counter("raregen.queue.send.messages").count() / b);
                long jobs = env.count("SELECT count(*) FROM publish_jobs");
                System.out.printf("jobs stored: %,d; queue depth: %,d%n", jobs, env.queueDepth());
                server.stop();
            }
        }
        System.exit(0);
    }

    /** CPU nanoseconds per thread-name group, for the live threads of this JVM. */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byGroup.merge(group(info.getThreadName()), cpu, Long::sum);
            }
        }
        return byGroup;
    }

    private static String group(String name) {
        if (name.startsWith("client-")) {
            return "load generator (client threads)";
        }
        if (name.startsWith("HttpClient")) {
            return "load generator (JDK HttpClient)";
        }
        if (name.startsWith("sqs-sender")) {
            return "server: SQS senders";
        }
        if (name.startsWith("io-executor") || name.startsWith("default-nioEventLoopGroup") || name.contains("event-loop")) {
            return "server: Netty + request threads";
        }
        if (name.contains("pekko") || name.contains("elasticmq") || name.contains("dispatcher")) {
            return "ElasticMQ";
        }
        return "other (" + name.replaceAll("[-#0-9]+$", "") + ")";
    }

    /** utime+stime of every postgres process, in nanoseconds (Linux /proc; 0 elsewhere). */
    private static long postgresCpu() {
        long ticks = 0;
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return 0;
        }
        for (java.io.File p : procs) {
            try {
                String stat = java.nio.file.Files.readString(p.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(stat.indexOf('(') + 1, close);
                if (!comm.startsWith("postgres")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception ignored) {
                // process ended while reading
            }
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
