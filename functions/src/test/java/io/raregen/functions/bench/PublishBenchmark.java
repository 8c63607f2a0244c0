package io.raregen.functions.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.TestEnv;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Not a test: drives POST /v1/publish on the Netty host with many concurrent clients, against a
 * real Postgres (TestDatabase) and in-process ElasticMQ, and prints accepted publishes per second,
 * p50/p90/p99 latency and CPU per publish by component.
 *
 * <p>Args: {@code [clients=64] [seconds=20] [warmupSeconds=5] [identities=50]}. The load generator
 * is chosen with {@code -Dbench.client}: {@code socket} (default) is a minimal keep-alive HTTP/1.1
 * client, one blocking socket per client thread writing pre-built request bytes, so that the load
 * generator takes as little of the shared CPU as possible; {@code jdk} is the JDK HttpClient
 * (~170 µs CPU per request here), kept for comparison.
 *
 * <p>{@code -Dbench.mode=record|anchor}: the publish mode every request asks for (docs/API.md, POST /v1/publish).
 *
 * <p>{@code -Dbench.history=N}: N jobs of history (random nonces, spread over the keys) before the run. The server's WAL
 * during the measured window is printed per accepted publish (the LSN's advance: server-wide, run on a quiet machine),
 * with the full-page images {@code pg_stat_wal} counted meanwhile (approximate: backends report them up to a few
 * seconds late).
 *
 * <p>{@code -Dbench.accounts=none|one|per-key}: the keys belong to no account (nothing charged, the default), all
 * to one account (every publish debits the same balance row: the hot-account case), or each to its own.
 *
 * <p>The queue settings are application.yml's unless {@code -Dbench.senders}, {@code -Dbench.linger},
 * {@code -Dbench.maxIds} ({@code raregen.queue.max-ids-per-message}; 1 = one message per job) or {@code -Dbench.awaitSend}
 * ({@code raregen.queue.await-send}; true = answer after the send, as a Lambda) is given. After the run every message on the queue is read and its job ids matched
 * with the stored jobs; {@code -Dbench.readQueue=false} skips that (one message per job is slow to read)
 * and compares the job-ids counter with the stored jobs instead.
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
            // the queue settings are application.yml's (the Netty host's) unless given
            putIfSet(props, "raregen.queue.sender-threads", "bench.senders");
            putIfSet(props, "raregen.queue.batch-linger", "bench.linger");
            putIfSet(props, "raregen.queue.max-ids-per-message", "bench.maxIds");
            props.remove("raregen.queue.await-send");
            putIfSet(props, "raregen.queue.await-send", "bench.awaitSend");
            props.put("raregen.intake.insert-batch-max", System.getProperty("bench.insertBatchMax", "64"));
            // the quota's statement runs (-Dbench.quota=false measures without it), with limits no client reaches
            props.put("raregen.intake.quota.enabled", System.getProperty("bench.quota", "true"));
            props.put("raregen.intake.quota.rate", "1000000");
            props.put("raregen.intake.quota.burst", "1000000");
            props.put("raregen.intake.quota.account-rate", "1000000");
            props.put("raregen.intake.quota.account-burst", "1000000");
            try (ApplicationContext ctx = ApplicationContext.run(props, "bench")) {
                EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
                URI publish = server.getURI().resolve("/v1/publish");

                // -Dbench.accounts: none (keys of no account: nothing is charged), one (every key is one account's:
                // one hot balance row), per-key (each key its own account)
                String accounts = System.getProperty("bench.accounts", "none");
                if (!List.of("none", "one", "per-key").contains(accounts)) {
                    throw new IllegalArgumentException("-Dbench.accounts must be none, one or per-key, not " + accounts);
                }
                List<KeyPair> keys = new ArrayList<>();
                String account = null;
                for (int i = 0; i < identityCount; i++) {
                    KeyPair k = KeyPair.generate();
                    keys.add(k);
                    if (!accounts.equals("none") && (account == null || accounts.equals("per-key"))) {
                        account = java.util.UUID.randomUUID().toString();
                        env.execute("INSERT INTO accounts (account_id, email) VALUES (?::uuid, ?)", account, "bench" + i + "@example.com");
                        env.execute("INSERT INTO account_balances (account_id, credits) VALUES (?::uuid, 1000000000)", account);
                        env.execute("INSERT INTO credit_ledger (account_id, delta, kind) VALUES (?::uuid, 1000000000, 'grant')", account);
                    }
                    env.execute("INSERT INTO identities (pubkey, account_id) VALUES (?, ?::uuid)", k.publicKey().hex(),
                            accounts.equals("none") ? null : account);
                }
                System.out.printf("accounts: %s%n", accounts);
                int history = Integer.getInteger("bench.history", 0);
                if (history > 0) {
                    insertHistory(env, keys, history);
                }
                String clientKind = System.getProperty("bench.client", "socket");
                if (!clientKind.equals("socket") && !clientKind.equals("jdk")) {
                    throw new IllegalArgumentException("-Dbench.client must be socket or jdk, not " + clientKind);
                }
                boolean socketClient = clientKind.equals("socket");
                int total = (int) Math.min(400_000, (long) (seconds + warmup) * Integer.getInteger("bench.rate", 2_500));
                System.out.printf("pre-signing %,d envelopes for %d identities...%n", total, identityCount);
                // socket: the whole request (head + body); jdk: the body
                ConcurrentLinkedQueue<byte[]> requests = new ConcurrentLinkedQueue<>();
                for (int i = 0; i < total; i++) {
                    String json = Envelopes.body(Envelopes.publish(keys.get(i % keys.size())));
                    // -Dbench.mode=anchor: every request asks for anchor mode ("mode" beside the envelope)
                    String mode = System.getProperty("bench.mode", "record");
                    byte[] body = (mode.equals("record") ? json : "{\"mode\":\"" + mode + "\"," + json.substring(1))
                            .getBytes(StandardCharsets.UTF_8);
                    requests.add(socketClient ? SocketClient.request(publish, body) : body);
                }

                HttpClient http = socketClient ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
                long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
                AtomicLong accepted = new AtomicLong();
                AtomicLong lastDone = new AtomicLong();
                AtomicLong other = new AtomicLong();
                AtomicInteger errors = new AtomicInteger();
                // client threads end before the final CPU snapshot: each adds its own CPU time as it exits
                AtomicLong clientCpuAtExit = new AtomicLong();
                long[][] latencies = new long[clients][];
                int[] counts = new int[clients];
                CountDownLatch done = new CountDownLatch(clients);
                for (int c = 0; c < clients; c++) {
                    final int id = c;
                    latencies[id] = new long[1_000_000 / clients + 1000];
                    Thread t = new Thread(() -> {
                        SocketClient socket = socketClient ? new SocketClient(publish) : null;
                        try {
                            while (true) {
                                long now = System.nanoTime();
                                if (now >= end) {
                                    return;
                                }
                                byte[] request = requests.poll();
                                if (request == null) {
                                    return;
                                }
                                HttpRequest req = socketClient ? null : HttpRequest.newBuilder(publish)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
                                long t0 = System.nanoTime();
                                int status;
                                try {
                                    status = socketClient ? socket.send(request)
                                            : http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
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
                            if (socket != null) {
                                socket.close();
                            }
                            clientCpuAtExit.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
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
                String walStart = env.string("SELECT pg_current_wal_lsn()::text");
                long fpiStart = env.count("SELECT wal_fpi FROM pg_stat_wal");
                long acceptedAtStart = accepted.get();
                done.await();
                Map<String, Long> cpuEnd = threadCpu();
                cpuEnd.merge(group("client-"), clientCpuAtExit.get(), Long::sum);
                long pgEnd = postgresCpu();
                long walBytes = env.count("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint", walStart);
                long fpis = env.count("SELECT wal_fpi FROM pg_stat_wal") - fpiStart;
                long[] all = new long[Arrays.stream(counts).sum()];
                int pos = 0;
                for (int c = 0; c < clients; c++) {
                    System.arraycopy(latencies[c], 0, all, pos, counts[c]);
                    pos += counts[c];
                }
                Arrays.sort(all);
                double secondsRun = Math.max(0.001, (Math.min(end, lastDone.get()) - warmupEnd) / 1e9);
                io.raregen.functions.queue.QueueConfiguration queue = ctx.getBean(io.raregen.functions.queue.QueueConfiguration.class);
                System.out.printf("client=%s clients=%d planned=%ds warmup=%ds pool=%s senders=%d linger=%dms insert-batch-max=%s max-ids-per-message=%d await-send=%s%n",
                        clientKind, clients, seconds, warmup,
                        props.get("datasources.default.maximum-pool-size"), queue.senderThreads(),
                        queue.batchLinger().toMillis(), props.get("raregen.intake.insert-batch-max"),
                        queue.maxIdsPerMessage(), queue.awaitSend());
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
                System.out.printf("server WAL during the measured window: %,d B per accepted publish, %.3f full-page images%n",
                        walBytes / n, fpis / (double) n);
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
                double m = meters.counter("raregen.queue.send.messages").count();
                double sentIds = meters.counter("raregen.queue.send.ids").count();
                System.out.printf("SendMessageBatch calls: %.0f, messages: %.0f (%.2f per call), job ids: %.0f (%.2f per message); enqueue failures: %.0f%n",
                        b, m, b == 0 ? 0 : m / b, sentIds, m == 0 ? 0 : sentIds / m,
                        meters.counter("raregen.intake.enqueue.failures").count());
                long jobs = env.count("SELECT count(*) FROM publish_jobs");
                // nothing updates a job here, so each row's xmin is the transaction that inserted it
                long inserts = env.count("SELECT count(DISTINCT xmin::text) FROM publish_jobs");
                System.out.printf("jobs stored: %,d in %,d insert statements (%.2f rows per statement)%n",
                        jobs, inserts, inserts == 0 ? 0 : jobs / (double) inserts);
                if (!accounts.equals("none")) {
                    long charged = env.count("SELECT count(*) FROM publish_jobs WHERE account_id IS NOT NULL");
                    long debited = env.count("SELECT coalesce(-sum(delta), 0) FROM credit_ledger WHERE kind = 'publish'");
                    long debits = env.count("SELECT count(*) FROM credit_ledger WHERE kind = 'publish'");
                    long off = env.count("SELECT count(*) FROM account_balances b WHERE b.credits <> "
                            + "(SELECT sum(delta) FROM credit_ledger l WHERE l.account_id = b.account_id)");
                    System.out.printf("credits: %,d jobs charged, %,d credits debited in %,d ledger entries (%.2f jobs per entry); "
                            + "balances off their ledger: %d%n", charged, debited, debits, debits == 0 ? 0 : debited / (double) debits, off);
                }
                if (Boolean.parseBoolean(System.getProperty("bench.readQueue", "true"))) {
                    // a message carries one or many ids: read them all and match them with the stored jobs
                    long t0 = System.nanoTime();
                    List<String> bodies = readQueue(env.queueUrl());
                    List<String> ids = io.raregen.functions.queue.QueueBodies.jobIds(bodies);
                    String[] distinct = new java.util.HashSet<>(ids).toArray(new String[0]);
                    long stored = env.count("SELECT count(*) FROM publish_jobs WHERE job_id::text = ANY(?)", (Object) distinct);
                    System.out.printf("queue: %,d messages carrying %,d job ids (%.2f per message; %,d distinct, %,d of them stored jobs); "
                                    + "stored jobs with no id on the queue: %,d (read in %.1f s)%n",
                            bodies.size(), ids.size(), bodies.isEmpty() ? 0 : ids.size() / (double) bodies.size(),
                            distinct.length, stored, jobs - stored, (System.nanoTime() - t0) / 1e9);
                } else {
                    System.out.printf("queue depth: %,d messages; job ids sent %,.0f vs jobs stored %,d (-Dbench.readQueue=false)%n",
                            env.queueDepth(), sentIds, jobs);
                }
                server.stop();
            }
        }
        System.exit(0);
    }

    /** Every message body on the queue, received once (left in flight, not deleted: the queue is thrown away). */
    private static List<String> readQueue(String queueUrl) {
        software.amazon.awssdk.services.sqs.SqsClient sqs = ElasticMq.client();
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<software.amazon.awssdk.services.sqs.model.Message> got = sqs.receiveMessage(
                    software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest.builder()
                            .queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(3600)
                            .build()).messages();
            if (got.isEmpty()) {
                return bodies;
            }
            got.forEach(msg -> bodies.add(msg.body()));
        }
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
        if (name.startsWith("io-executor")) {
            return "server: request threads (io-executor)";
        }
        if (name.startsWith("default-nioEventLoopGroup") || name.startsWith("default-eventLoopGroup")
                || name.startsWith("default-epollEventLoopGroup") || name.contains("event-loop")) {
            return "server: Netty event loop";
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

    /**
     * The smallest HTTP/1.1 client that does the job: one keep-alive connection on a blocking socket,
     * one request at a time. Reads the status line, the headers and a Content-Length (or chunked) body;
     * reconnects on the next request after the server closed the connection or an I/O error.
     */
    static final class SocketClient implements AutoCloseable {
        private final String host;
        private final int port;
        private final byte[] line = new byte[8192];
        // our own read buffer: BufferedInputStream takes a lock on every read()
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        SocketClient(URI target) {
            this.host = target.getHost();
            this.port = target.getPort();
        }

        /** The complete POST request for {@code body}, built once up front. */
        static byte[] request(URI target, byte[] body) {
            byte[] head = ("POST " + target.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            return request;
        }

        /** Sends one pre-built request and returns the response status; the body is read and dropped. */
        int send(byte[] request) throws IOException {
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                String status = readLine();
                if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12) {
                    throw new IOException("bad status line: " + status);
                }
                int code = Integer.parseInt(status.substring(9, 12));
                long length = -1;
                boolean chunked = false;
                boolean close = status.startsWith("HTTP/1.0");
                for (String h = readLine(); ; h = readLine()) {
                    if (h == null) {
                        throw new IOException("connection closed in the response headers");
                    }
                    if (h.isEmpty()) {
                        break;
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim();
                    String value = h.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        length = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                    } else if (name.equalsIgnoreCase("Connection")) {
                        close = value.equalsIgnoreCase("close");
                    }
                }
                if (chunked) {
                    skipChunked();
                } else if (length >= 0) {
                    skip(length);
                } else {
                    // no length: the body ends when the server closes the connection
                    while (fill()) {
                        pos = lim;
                    }
                    close = true;
                }
                if (close) {
                    close();
                }
                return code;
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            s.connect(new InetSocketAddress(host, port), 5_000);
            socket = s;
            out = s.getOutputStream();
            in = s.getInputStream();
            pos = 0;
            lim = 0;
        }

        /** Refills the read buffer; false at end of stream. */
        private boolean fill() throws IOException {
            int r = in.read(buf, 0, buf.length);
            if (r < 0) {
                return false;
            }
            pos = 0;
            lim = r;
            return true;
        }

        /** One header line without its CRLF; null at end of stream before any byte. */
        private String readLine() throws IOException {
            int n = 0;
            while (true) {
                if (pos == lim && !fill()) {
                    if (n == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed mid-line");
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    if (n > 0 && line[n - 1] == '\r') {
                        n--;
                    }
                    return new String(line, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (n == line.length) {
                    throw new IOException("header line longer than " + line.length + " bytes");
                }
                line[n++] = b;
            }
        }

        private void skip(long length) throws IOException {
            long left = length;
            while (left > 0) {
                if (pos == lim && !fill()) {
                    throw new EOFException("connection closed with " + left + " body bytes missing");
                }
                int take = (int) Math.min(lim - pos, left);
                pos += take;
                left -= take;
            }
        }

        private void skipChunked() throws IOException {
            while (true) {
                String size = readLine();
                if (size == null) {
                    throw new EOFException("connection closed in a chunked body");
                }
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    // trailers up to the empty line
                    for (String t = readLine(); t != null && !t.isEmpty(); t = readLine()) {
                        // drop
                    }
                    return;
                }
                skip(n);
                readLine();
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do: the next request opens a new connection
                }
                socket = null;
                out = null;
                in = null;
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void putIfSet(Map<String, Object> props, String property, String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value != null) {
            props.put(property, value);
        }
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /**
     * {@code -Dbench.history=N}: N jobs accepted long ago, spread over the benchmark's keys, with random nonces as real
     * clients send, written straight (the transition triggers off for the session, as a restore would), then a
     * CHECKPOINT so that every run starts after a completed one: the nonces' index then holds N entries among which
     * every publish's entry lands.
     */
    private static void insertHistory(TestEnv env, List<KeyPair> keys, int n) {
        String pubkeys = keys.stream().map(k -> "'" + k.publicKey().hex() + "'").collect(java.util.stream.Collectors.joining(","));
        System.out.printf("inserting %,d jobs of history...%n", n);
        try (java.sql.Connection c = env.db().connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("SET session_replication_role = replica");
            st.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, created_at)
                    SELECT '0' || lpad(g::text, 25, '0'), (ARRAY[%s])[1 + g %% %d], 'n-' || md5('history-' || g)::uuid::text,
                           repeat('p', 220), repeat('s', 96), encode(sha256(g::text::bytea), 'hex'), now() - interval '30 days'
                    FROM generate_series(1, %d) g""".formatted(pubkeys, keys.size(), n));
            st.execute("SET session_replication_role = DEFAULT");
            st.execute("VACUUM ANALYZE publish_jobs");
            st.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("history insert failed", e);
        }
    }

}
